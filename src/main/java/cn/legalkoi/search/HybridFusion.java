package cn.legalkoi.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.ScoreDoc;

/**
 * Fuses lexical and semantic candidates: each list's scores are put on one scale ({@link Method}; guidance uses
 * min-max, statutes z-scores), then {@code share * lexical + (1 - share) * semantic}. With min-max, a document
 * missing from one list scores 0 there:
 *
 * <p>Example, share 0.5: lexical {A 12, B 8, C 2} → {A 1, B 0.6, C 0}; semantic {B 0.9, D 0.8, A 0.7} →
 * {B 1, D 0.5, A 0}; fused B 0.8, A 0.5, D 0.25, C 0.
 */
public final class HybridFusion {
  /** How each candidate list is put on a common scale before the weighted sum. */
  public enum Method {
    /** (score − min) / (max − min); a missing document scores 0. */
    MIN_MAX,
    /** (score − mean) / standard deviation; a missing document scores the list's lowest. */
    Z_SCORE
  }

  private HybridFusion() {
  }

  static List<ScoreDoc> fuse(ScoreDoc[] lexical, ScoreDoc[] semantic, float lexicalShare, int limit) {
    return fuse(lexical, semantic, lexicalShare, limit, Method.MIN_MAX);
  }

  static List<ScoreDoc> fuse(ScoreDoc[] lexical, ScoreDoc[] semantic, float lexicalShare, int limit, Method method) {
    return fuse(lexical, semantic, lexicalShare, limit, method, Map.of());
  }

  /**
   * The same fusion with {@code evidence} (document → score from elsewhere, e.g. {@link StatuteExamples}) added
   * to the fused score. A document only in {@code evidence} scores each list's missing value (0 for min-max, the
   * lowest z-score) plus its evidence.
   */
  static List<ScoreDoc> fuse(ScoreDoc[] lexical, ScoreDoc[] semantic, float lexicalShare, int limit, Method method,
      Map<Integer, Float> evidence) {
    Map<Integer, Float> fused = new LinkedHashMap<>();
    float missing = 0f;
    if (method == Method.MIN_MAX) {
      add(fused, lexical, lexicalShare);
      add(fused, semantic, 1 - lexicalShare);
    } else {
      missing += addZScores(fused, lexical, semantic, lexicalShare);
      missing += addZScores(fused, semantic, lexical, 1 - lexicalShare);
    }
    for (Map.Entry<Integer, Float> e : evidence.entrySet()) {
      fused.merge(e.getKey(), missing + e.getValue(), (known, added) -> known + e.getValue());
    }
    List<ScoreDoc> ranked = new ArrayList<>(fused.size());
    fused.forEach((doc, score) -> ranked.add(new ScoreDoc(doc, score)));
    ranked.sort(Comparator.comparingDouble((ScoreDoc sd) -> -sd.score).thenComparingInt(sd -> sd.doc));
    return ranked.size() <= limit ? ranked : ranked.subList(0, limit);
  }

  /**
   * Adds one list's z-scores; documents only in {@code other} get the list's lowest. Returns that lowest value,
   * weighted: what a document in neither list scores on this side.
   */
  private static float addZScores(Map<Integer, Float> fused, ScoreDoc[] docs, ScoreDoc[] other, float weight) {
    float[] scaled = new float[docs.length];
    double mean = 0;
    for (ScoreDoc sd : docs) {
      mean += sd.score;
    }
    mean /= Math.max(1, docs.length);
    double variance = 0;
    for (ScoreDoc sd : docs) {
      variance += (sd.score - mean) * (sd.score - mean);
    }
    double deviation = Math.sqrt(variance / Math.max(1, docs.length));
    float floor = docs.length == 0 ? 0f : Float.POSITIVE_INFINITY;
    for (int i = 0; i < docs.length; i++) {
      scaled[i] = deviation > 0 ? (float) ((docs[i].score - mean) / deviation) : 0f;
      floor = Math.min(floor, scaled[i]);
    }
    for (int i = 0; i < docs.length; i++) {
      fused.merge(docs[i].doc, weight * scaled[i], Float::sum);
    }
    Set<Integer> seen = new HashSet<>();
    for (ScoreDoc sd : docs) {
      seen.add(sd.doc);
    }
    for (ScoreDoc sd : other) {
      if (!seen.contains(sd.doc)) {
        fused.merge(sd.doc, weight * floor, Float::sum);
      }
    }
    return weight * floor;
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
