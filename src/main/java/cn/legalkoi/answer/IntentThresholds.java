package cn.legalkoi.answer;

/**
 * Where the intent model's probabilities turn into a route. Fitted per retrieval mode on the tune set's
 * cross-validated probabilities by {@code legal-koi evaluate --fit}; the committed values are what that fit
 * gives (a test refits and compares).
 *
 * @param escalate hand over when P(person) + P(complex) reaches this
 * @param chatter otherwise chat when P(chatter) reaches this
 * @param outside otherwise say honestly there is no answer when P(outside) reaches this
 * @param legal otherwise search the guidance when P(legal) reaches this: an answer needs positive evidence that
 *     the message is a legal question; below it the message gets a chat or no-answer reply, whichever is likelier
 */
public record IntentThresholds(double escalate, double chatter, double outside, double legal) {

  public Intent route(IntentScores scores) {
    if (scores.escalation() >= escalate) {
      return scores.of(Intent.PERSON) >= scores.of(Intent.COMPLEX_CASE) ? Intent.PERSON : Intent.COMPLEX_CASE;
    }
    if (scores.of(Intent.CHATTER) >= chatter) {
      return Intent.CHATTER;
    }
    if (scores.of(Intent.OUTSIDE) >= outside) {
      return Intent.OUTSIDE;
    }
    if (scores.of(Intent.LEGAL) >= legal) {
      return Intent.LEGAL;
    }
    return scores.of(Intent.CHATTER) > scores.of(Intent.OUTSIDE) ? Intent.CHATTER : Intent.OUTSIDE;
  }
}
