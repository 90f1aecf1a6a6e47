package cn.legalkoi.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final Set<String> RELEVANT = Set.of("a", "b", "c");

  @Test
  @DisplayName("the worked example of the class comment: nDCG@10 0.704, reciprocal rank 1, recall 1/3 and 2/3")
  void workedExample() {
    List<String> ranked = List.of("a", "x", "b");
    assertEquals(1.5 / (1 + 1 / (Math.log(3) / Math.log(2)) + 0.5), RankingMetrics.ndcg(ranked, RELEVANT, 10), 1e-9);
    assertEquals(0.704, RankingMetrics.ndcg(ranked, RELEVANT, 10), 1e-3);
    assertEquals(1.0, RankingMetrics.reciprocalRank(ranked, RELEVANT, 10));
    assertEquals(1 / 3.0, RankingMetrics.recall(ranked, RELEVANT, 2), 1e-9);
    assertEquals(2 / 3.0, RankingMetrics.recall(ranked, RELEVANT, 10), 1e-9);
  }

  @Test
  @DisplayName("a perfect ranking scores 1, nothing relevant in the cut-off scores 0")
  void bounds() {
    assertEquals(1.0, RankingMetrics.ndcg(List.of("c", "b", "a", "x"), RELEVANT, 10), 1e-9);
    assertEquals(0.0, RankingMetrics.ndcg(List.of("x", "y", "a"), RELEVANT, 2));
    assertEquals(0.0, RankingMetrics.reciprocalRank(List.of("x", "y", "a"), RELEVANT, 2));
    assertEquals(1 / 3.0, RankingMetrics.reciprocalRank(List.of("x", "y", "a"), RELEVANT, 10), 1e-9);
  }
}
