package cn.legalkoi.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LawEvidenceTest {
  private static final Map<Integer, String> LAWS = Map.of(1, "X", 2, "Y", 3, "Y", 4, "Z");
  private static final List<ScoreDoc> CANDIDATES = List.of(new ScoreDoc(1, 1.0f), new ScoreDoc(2, 0.9f),
      new ScoreDoc(3, 0.8f), new ScoreDoc(4, 0f));

  @Test
  @DisplayName("the worked example of the class comment: two articles of one law overtake a lone better one")
  void workedExample() {
    List<ScoreDoc> lifted = LawEvidence.lift(CANDIDATES, LAWS::get, 0.5f, 10);
    assertArrayEquals(new int[] {2, 3, 1, 4}, lifted.stream().mapToInt(sd -> sd.doc).toArray());
    assertEquals(1.4f, lifted.get(0).score, 1e-6);
    assertEquals(1 + 0.5f / 1.7f, lifted.get(2).score, 1e-6);
  }

  @Test
  @DisplayName("with no lift the order stays, and the limit holds")
  void noLift() {
    List<ScoreDoc> lifted = LawEvidence.lift(CANDIDATES, LAWS::get, 0f, 2);
    assertArrayEquals(new int[] {1, 2}, lifted.stream().mapToInt(sd -> sd.doc).toArray());
  }
}
