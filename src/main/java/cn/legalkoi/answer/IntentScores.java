package cn.legalkoi.answer;

import java.util.Locale;
import java.util.Map;

/**
 * How likely a message is each {@link Intent} (the probabilities sum to 1), and which guidance answered the
 * labelled legal questions nearest to it.
 *
 * @param guidanceVotes per guidance document, its share of the votes of the labelled legal questions nearest to the
 *     message (see {@link IntentModel}); empty when none is known
 * @param guidanceNearest per guidance document, how close its closest labelled legal question is to the message;
 *     empty when none is known
 */
public record IntentScores(double[] probabilities, Map<String, Double> guidanceVotes,
    Map<String, Double> guidanceNearest) {
  public IntentScores {
    guidanceVotes = Map.copyOf(guidanceVotes);
    guidanceNearest = Map.copyOf(guidanceNearest);
  }

  /** Probabilities alone, with no labelled question to vote on the guidance. */
  public IntentScores(double[] probabilities) {
    this(probabilities, Map.of(), Map.of());
  }

  /** Probabilities and votes, with no nearest similarities known. */
  public IntentScores(double[] probabilities, Map<String, Double> guidanceVotes) {
    this(probabilities, guidanceVotes, Map.of());
  }

  public double of(Intent intent) {
    return probabilities[intent.ordinal()];
  }

  /** Asking for a person or describing a case that needs one. */
  public double escalation() {
    return of(Intent.PERSON) + of(Intent.COMPLEX_CASE);
  }

  /** The share of the nearest labelled legal questions that the guidance answered (0 to 1). */
  public double voteFor(String docId) {
    return guidanceVotes.getOrDefault(docId, 0.0);
  }

  /**
   * How close the nearest labelled legal question that the guidance answered is to the message (the mean over the
   * representations of the closest one's similarity), or 0 when none is known.
   */
  public double nearestFor(String docId) {
    return guidanceNearest.getOrDefault(docId, 0.0);
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
