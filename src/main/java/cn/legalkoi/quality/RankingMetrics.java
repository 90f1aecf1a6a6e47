package cn.legalkoi.quality;

import java.util.List;
import java.util.Set;

/**
 * Ranking metrics with binary relevance, for one question's ranked docIds.
 *
 * <p>Example: ranked {a, x, b}, relevant {a, b, c}: DCG@10 = 1/log2(2) + 1/log2(4) = 1.5; the ideal ranking puts
 * three relevant first, IDCG@10 = 1 + 1/log2(3) + 1/log2(4) ≈ 2.131; nDCG@10 ≈ 0.704. Reciprocal rank 1,
 * recall@2 = 1/3, recall@10 = 2/3.
 */
public final class RankingMetrics {
  private RankingMetrics() {
  }

  public static double ndcg(List<String> ranked, Set<String> relevant, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (relevant.contains(ranked.get(i))) {
        dcg += 1 / log2(i + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, relevant.size()); i++) {
      ideal += 1 / log2(i + 2);
    }
    return ideal == 0 ? 0 : dcg / ideal;
  }

  public static double reciprocalRank(List<String> ranked, Set<String> relevant, int k) {
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (relevant.contains(ranked.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  public static double recall(List<String> ranked, Set<String> relevant, int k) {
    if (relevant.isEmpty()) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(relevant::contains).distinct().count();
    return (double) found / relevant.size();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
