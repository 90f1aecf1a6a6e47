package cn.legalkoi.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.lucene.search.ScoreDoc;

/**
 * Lifts the articles of a law that many strong candidates come from: a question about a wage dispute finds a
 * handful of 劳动合同法 articles, and the right one among them should not lose to a lone article of an unrelated
 * law that happens to share words. Scores are min-max normalised over the candidates; each law's evidence is
 * the sum of its candidates' normalised scores; an article gains {@code lift} × its law's evidence ÷ the best
 * law's evidence.
 *
 * <p>Example, lift 0.5: A 1.0 (law X), B 0.9 (law Y), C 0.8 (law Y), D 0 (law Z) → normalised A 1, B 0.9, C 0.8,
 * D 0; evidence X 1, Y 1.7, Z 0; lifted B 0.9 + 0.5 = 1.4, C 1.3, A 1 + 0.5 × 1 / 1.7 ≈ 1.29, D 0.
 */
final class LawEvidence {
  private LawEvidence() {
  }

  static List<ScoreDoc> lift(List<ScoreDoc> candidates, IntFunction<String> lawOf, float lift, int limit) {
    if (candidates.isEmpty()) {
      return candidates;
    }
    float max = Float.NEGATIVE_INFINITY;
    float min = Float.POSITIVE_INFINITY;
    for (ScoreDoc sd : candidates) {
      max = Math.max(max, sd.score);
      min = Math.min(min, sd.score);
    }
    float range = max - min;
    List<String> laws = new ArrayList<>(candidates.size());
    float[] normalised = new float[candidates.size()];
    Map<String, Float> evidence = new HashMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      normalised[i] = range > 0 ? (candidates.get(i).score - min) / range : 1f;
      laws.add(lawOf.apply(candidates.get(i).doc));
      evidence.merge(laws.get(i), normalised[i], Float::sum);
    }
    float best = evidence.values().stream().max(Float::compare).orElse(0f);
    List<ScoreDoc> lifted = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      float gain = best > 0 ? lift * evidence.get(laws.get(i)) / best : 0f;
      lifted.add(new ScoreDoc(candidates.get(i).doc, normalised[i] + gain));
    }
    lifted.sort(Comparator.comparingDouble((ScoreDoc sd) -> -sd.score).thenComparingInt(sd -> sd.doc));
    return lifted.size() <= limit ? lifted : lifted.subList(0, limit);
  }
}
