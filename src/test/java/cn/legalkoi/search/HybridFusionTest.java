package cn.legalkoi.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HybridFusionTest {
  private static final int A = 1;
  private static final int B = 2;
  private static final int C = 3;
  private static final int D = 4;

  private static ScoreDoc[] docs(float... docAndScore) {
    ScoreDoc[] out = new ScoreDoc[docAndScore.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = new ScoreDoc((int) docAndScore[2 * i], docAndScore[2 * i + 1]);
    }
    return out;
  }

  @Test
  @DisplayName("min-max normalised scores are summed with the lexical share, as in the class comment")
  void workedExample() {
    List<ScoreDoc> fused = HybridFusion.fuse(docs(A, 12, B, 8, C, 2), docs(B, 0.9f, D, 0.8f, A, 0.7f), 0.5f, 10);
    assertArrayEquals(new int[] {B, A, D, C}, fused.stream().mapToInt(sd -> sd.doc).toArray());
    assertEquals(0.8f, fused.get(0).score, 1e-6);
    assertEquals(0.5f, fused.get(1).score, 1e-6);
    assertEquals(0.25f, fused.get(2).score, 1e-6);
  }

  @Test
  @DisplayName("share 1 keeps the lexical order, share 0 the semantic order, and the limit holds")
  void extremes() {
    ScoreDoc[] lexical = docs(A, 3, B, 2, C, 1);
    ScoreDoc[] semantic = docs(C, 0.9f, B, 0.8f, A, 0.1f);
    assertArrayEquals(new int[] {A, B}, HybridFusion.fuse(lexical, semantic, 1f, 2).stream().mapToInt(sd -> sd.doc).toArray());
    assertArrayEquals(new int[] {C, B}, HybridFusion.fuse(lexical, semantic, 0f, 2).stream().mapToInt(sd -> sd.doc).toArray());
  }

  @Test
  @DisplayName("z-scores: a document missing from one list gets that list's lowest score, not zero")
  void zScore() {
    // lexical {A 3, B 1} → z {A 1, B -1}; semantic {C 0.9, A 0.5} → z {C 1, A -1}; fused A 0, C 0, B -1
    List<ScoreDoc> fused = HybridFusion.fuse(docs(A, 3, B, 1), docs(C, 0.9f, A, 0.5f), 0.5f, 10,
        HybridFusion.Method.Z_SCORE);
    assertArrayEquals(new int[] {A, C, B}, fused.stream().mapToInt(sd -> sd.doc).toArray());
    assertEquals(0f, fused.get(1).score, 1e-6);
    assertEquals(-1f, fused.get(2).score, 1e-6);
  }

  @Test
  @DisplayName("evidence from labelled examples adds to the fused score and brings in a document neither list found")
  void evidence() {
    // z as above: A 0, C 0, B -1; D is in neither list: lowest lexical -1 and lowest semantic -1, weighted -1
    List<ScoreDoc> fused = HybridFusion.fuse(docs(A, 3, B, 1), docs(C, 0.9f, A, 0.5f), 0.5f, 10,
        HybridFusion.Method.Z_SCORE, java.util.Map.of(C, 0.5f, D, 2.5f));
    assertArrayEquals(new int[] {D, C, A, B}, fused.stream().mapToInt(sd -> sd.doc).toArray());
    assertEquals(1.5f, fused.get(0).score, 1e-6);
    assertEquals(0.5f, fused.get(1).score, 1e-6);
    List<ScoreDoc> without = HybridFusion.fuse(docs(A, 3, B, 1), docs(C, 0.9f, A, 0.5f), 0.5f, 10,
        HybridFusion.Method.Z_SCORE, java.util.Map.of());
    assertArrayEquals(new int[] {A, C, B}, without.stream().mapToInt(sd -> sd.doc).toArray());
  }
}
