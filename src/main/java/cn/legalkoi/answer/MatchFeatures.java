package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.List;
import java.util.Optional;

/**
 * What the decision looks at for one question: the guidance candidates and how well each covers the question.
 *
 * @param candidates the guidance found, best first
 * @param coverages per candidate, the weighted share of the question's content bigrams (or its ask's, when those are
 *     covered better) found in the guidance's core text (title, owner questions, short answer); rare bigrams weigh
 *     more
 * @param unknownShare weighted share of the question's bigrams that no guidance contains at all: high for
 *     questions about things the guidance never covers (离婚, 专利)
 * @param askBest the guidance the message's ask ({@link TheAsk}), searched alone, finds best; the best candidate
 *     when the message is its own ask, and empty when the ask was not searched or found nothing (it then agrees
 *     with any choice): a long story whose question points elsewhere is not answered from the guidance its details
 *     point to
 */
public record MatchFeatures(List<SearchHit> candidates, List<Double> coverages, double unknownShare,
    Optional<String> askBest) {
  public MatchFeatures {
    candidates = List.copyOf(candidates);
    coverages = List.copyOf(coverages);
    if (coverages.size() != candidates.size()) {
      throw new IllegalArgumentException("one coverage per candidate: " + coverages.size() + " for "
          + candidates.size());
    }
  }

  /** How well the best candidate covers the question (0 when there is none). */
  public double coverage() {
    return coverages.isEmpty() ? 0 : coverages.get(0);
  }

  /** Whether the ask finds the given guidance best too, or was not searched. */
  public boolean askAgreesWith(String docId) {
    return askBest.map(docId::equals).orElse(true);
  }

  public MatchFeatures withAskBest(Optional<String> best) {
    return new MatchFeatures(candidates, coverages, unknownShare, best);
  }

  public boolean isEmpty() {
    return candidates.isEmpty();
  }
}
