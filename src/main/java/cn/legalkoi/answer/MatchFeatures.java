package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.List;

/**
 * What the decision looks at for one question: the guidance candidates and how well the best one covers
 * the question.
 *
 * @param coverage share of the question's content bigrams found in the best candidate's core text
 */
public record MatchFeatures(List<SearchHit> candidates, double coverage) {
  public double runnerUpRatio() {
    if (candidates.size() < 2 || candidates.get(0).score() <= 0) {
      return 0;
    }
    return candidates.get(1).score() / candidates.get(0).score();
  }

  public boolean isEmpty() {
    return candidates.isEmpty();
  }
}
