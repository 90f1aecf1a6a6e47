package cn.legalkoi.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;

/**
 * Fuses lexical and semantic candidates: each list's scores are min-max normalised to [0, 1], then
 * {@code share * lexical + (1 - share) * semantic}; a document missing from one list scores 0 there.
 *
 * <p>Example, share 0.5: lexical {A 12, B 8, C 2} → {A 1, B 0.6, C 0}; semantic {B 0.9, D 0.8, A 0.7} →
 * {B 1, D 0.5, A 0}; fused B 0.8, A 0.5, D 0.25, C 0.
 */
final class HybridFusion {
  private HybridFusion() {
  }

  static List<ScoreDoc> fuse(ScoreDoc[] lexical, ScoreDoc[] semantic, float lexicalShare, int limit) {
    Map<Integer, Float> fused = new LinkedHashMap<>();
    add(fused, lexical, lexicalShare);
    add(fused, semantic, 1 - lexicalShare);
    List<ScoreDoc> ranked = new ArrayList<>(fused.size());
    fused.forEach((doc, score) -> ranked.add(new ScoreDoc(doc, score)));
    ranked.sort(Comparator.comparingDouble((ScoreDoc sd) -> -sd.score).thenComparingInt(sd -> sd.doc));
    return ranked.size() <= limit ? ranked : ranked.subList(0, limit);
  }

  private static void add(Map<Integer, Float> fused, ScoreDoc[] docs, float weight) {
    if (docs.length == 0 || weight <= 0) {
      for (ScoreDoc sd : docs) {
        fused.putIfAbsent(sd.doc, 0f);
      }
      return;
    }
    float max = Float.NEGATIVE_INFINITY;
    float min = Float.POSITIVE_INFINITY;
    for (ScoreDoc sd : docs) {
      max = Math.max(max, sd.score);
      min = Math.min(min, sd.score);
    }
    float range = max - min;
    for (ScoreDoc sd : docs) {
      float normalised = range > 0 ? (sd.score - min) / range : 1f;
      fused.merge(sd.doc, weight * normalised, Float::sum);
    }
  }
}
