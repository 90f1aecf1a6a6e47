package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.List;

/**
 * What the decision looks at for one question: the guidance candidates and how well the best one covers
 * the question.
 *
 * @param coverage weighted share of the question's content bigrams found in the best candidate's core text
 *     (title, owner questions, short answer); rare bigrams weigh more
 * @param runnerUpCoverage the same for the second candidate (0 when there is none)
 * @param unknownShare weighted share of the question's bigrams that no guidance contains at all: high for
 *     questions about things the guidance never covers (离婚, 专利)
 * @param similarity cosine similarity of the question and the best candidate by meaning; NaN without semantic
 *     retrieval
 * @param askAgrees whether the message's ask ({@link TheAsk}), searched alone, finds the same best guidance as the
 *     whole message (true when the message is its own ask): a long story whose question points elsewhere is not
 *     answered from the guidance its details point to
 */
public record MatchFeatures(List<SearchHit> candidates, double coverage, double runnerUpCoverage,
    double unknownShare, double similarity, boolean askAgrees) {
  /**
   * How much closer in meaning the best candidate is than the runner-up: a second sign that the best is clearly
   * the topic meant. NaN without semantic retrieval, or when the runner-up's similarity is unknown.
   */
  public double similarityLead() {
    if (candidates.size() < 2) {
      return similarity;
    }
    return similarity - candidates.get(1).similarity();
  }

  public double runnerUpRatio() {
    if (candidates.size() < 2 || candidates.get(0).score() <= 0) {
      return 0;
    }
    return candidates.get(1).score() / candidates.get(0).score();
  }

  public MatchFeatures withAskAgrees(boolean agrees) {
    return new MatchFeatures(candidates, coverage, runnerUpCoverage, unknownShare, similarity, agrees);
  }

  public boolean isEmpty() {
    return candidates.isEmpty();
  }
}
