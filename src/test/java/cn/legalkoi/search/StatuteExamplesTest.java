package cn.legalkoi.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatuteExamplesTest {
  private static final float[] QUESTION = {1, 0};

  /** A unit vector at this cosine similarity to {@link #QUESTION}. */
  private static float[] at(double similarity) {
    return new float[] {(float) similarity, (float) Math.sqrt(1 - similarity * similarity)};
  }

  private static final StatuteExamples EXAMPLES = new StatuteExamples(List.of(
      new StatuteExamples.Example("a", at(0.9), List.of("民法典#577")),
      new StatuteExamples.Example("b", at(0.8), List.of("民法典#577", "民法典#584")),
      new StatuteExamples.Example("c", at(0.5), List.of("劳动合同法#7")),
      new StatuteExamples.Example("d", at(0.3), List.of("刑法#264"))));

  @Test
  @DisplayName("the class comment's example: the nearest examples give their similarity above the floor")
  void workedExample() {
    Map<String, Float> evidence = EXAMPLES.evidence(QUESTION, 3, 0.6f);
    assertEquals(2, evidence.size(), evidence.toString());
    assertEquals(0.5f, evidence.get("民法典#577"), 1e-5);
    assertEquals(0.2f, evidence.get("民法典#584"), 1e-5);
    assertFalse(evidence.containsKey("劳动合同法#7"), "less similar than the floor: no evidence");
    assertFalse(evidence.containsKey("刑法#264"), "not among the 3 nearest");
  }

  @Test
  @DisplayName("a question never learns from its own example, and no examples give no evidence")
  void withoutOwnLabels() {
    Map<String, Float> evidence = EXAMPLES.without("a").evidence(QUESTION, 1, 0f);
    assertEquals(Map.of("民法典#577", 0.8f, "民法典#584", 0.8f).keySet(), evidence.keySet());
    assertEquals(0.8f, evidence.get("民法典#577"), 1e-5);
    assertEquals(Map.of(), StatuteExamples.none().evidence(QUESTION, 10, 0f));
  }
}
