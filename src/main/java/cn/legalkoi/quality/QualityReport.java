package cn.legalkoi.quality;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The quality numbers of one set of questions; the build compares the holdout's with committed expected values. */
public record QualityReport(
    String name,
    int searchQuestions,
    double hitAt1,
    double hitAt3,
    double mrr,
    Map<String, int[]> kindCorrect,
    int answered,
    int answeredRight,
    int escalateExpected,
    int escalateFound,
    int escalated,
    int offTopic,
    int offTopicCited,
    int offTopicEscalated) {

  public double answerPrecision() {
    return answered == 0 ? 1.0 : answeredRight / (double) answered;
  }

  public double escalateRecall() {
    return escalateExpected == 0 ? 1.0 : escalateFound / (double) escalateExpected;
  }

  /** Of the messages handed to an adviser, the share that should have been. */
  public double escalatePrecision() {
    return escalated == 0 ? 1.0 : escalateFound / (double) escalated;
  }

  public double kindAccuracy(String kind) {
    int[] c = kindCorrect.getOrDefault(kind, new int[2]);
    return c[1] == 0 ? 1.0 : c[0] / (double) c[1];
  }

  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-8s search n=%d hit@1=%.3f hit@3=%.3f MRR=%.3f%n", name, searchQuestions,
        hitAt1, hitAt3, mrr));
    out.append(String.format(Locale.ROOT, "%-8s ask: answered=%d precision=%.3f escalate recall=%.3f (%d/%d)"
        + " precision=%.3f (%d/%d) off-topic cited=%d escalated=%d of %d%n", name, answered, answerPrecision(),
        escalateRecall(), escalateFound, escalateExpected, escalatePrecision(), escalateFound, escalated,
        offTopicCited, offTopicEscalated, offTopic));
    for (Map.Entry<String, int[]> e : new TreeMap<>(kindCorrect).entrySet()) {
      out.append(String.format(Locale.ROOT, "%-8s   kind %-9s accuracy=%.3f (%d/%d)%n", name, e.getKey(),
          kindAccuracy(e.getKey()), e.getValue()[0], e.getValue()[1]));
    }
    return out.toString();
  }
}
