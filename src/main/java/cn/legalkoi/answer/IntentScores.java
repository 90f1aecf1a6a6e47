package cn.legalkoi.answer;

import java.util.Locale;

/** How likely a message is each {@link Intent}; the probabilities sum to 1. */
public record IntentScores(double[] probabilities) {
  public double of(Intent intent) {
    return probabilities[intent.ordinal()];
  }

  /** Asking for a person or describing a case that needs one. */
  public double escalation() {
    return of(Intent.PERSON) + of(Intent.COMPLEX_CASE);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Intent intent : Intent.values()) {
      out.append(String.format(Locale.ROOT, "%s=%.2f ", intent.wireName(), of(intent)));
    }
    return out.toString().strip();
  }
}
