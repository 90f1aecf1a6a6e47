package cn.legalkoi.answer;

import java.util.List;

/**
 * Where the answer decision draws its lines. Fitted on the tune part of the labelled questions by
 * {@code legal-koi evaluate --fit}; the run behind the defaults is recorded in docs/search-quality.md.
 *
 * @param intent where the intent model's probabilities route a message (hand over, chat, no answer, search)
 * @param answerLine when a legal question is answered from the guidance, and from which
 * @param clarifyCoverage least coverage for offering a choice of topics instead of saying no answer
 * @param clarifyRatio a topic is offered in a clarify reply when its score is at least this share of the best
 * @param maxUnknownShare above this share of words no guidance knows, the question is out of scope: no answer
 */
public record DecisionThresholds(IntentThresholds intent, AnswerLine answerLine, double clarifyCoverage,
    double clarifyRatio, double maxUnknownShare) {

  /** Fitted with semantic retrieval on (hybrid ranking, lexical share 0.5). */
  public static DecisionThresholds defaults() {
    return new DecisionThresholds(new IntentThresholds(0.5, 0.3, 0.3, 0.25),
        new AnswerLine(1.5, List.of(4.1289, 2.7801, -0.4126, -0.0331, -6.8323, 1.3716, 0.0485, -2.1113, 3.6296, 14.2789,
            9.8366, -4.4787), -7.5, 0.89), 0.2, 0.6, 0.9);
  }

  public DecisionThresholds withIntent(IntentThresholds other) {
    return new DecisionThresholds(other, answerLine, clarifyCoverage, clarifyRatio, maxUnknownShare);
  }

  /** Fitted for lexical search only; similarity is never known there. */
  public static DecisionThresholds lexicalDefaults() {
    return new DecisionThresholds(new IntentThresholds(0.35, 0.6, 0.55, 0.3),
        new AnswerLine(8.0, List.of(2.3433, -0.792, 0.0198, 2.0E-4, -3.6677, 1.8673, -1.2707, -0.7954, 3.8751, 0.0, 0.0,
            4.1815), -1.6337, 0.949), 0.1, 0.6, 0.7);
  }
}
