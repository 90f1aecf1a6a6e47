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
        new AnswerLine(2.0, List.of(4.1443, 2.8931, -0.4067, -0.2682, -6.3644, 1.4304, 0.4414, -0.6415, 5.4572, 11.4203,
            12.7553, -4.4163, 3.3458), -8.3204, 0.906), 0.2, 0.6, 0.9);
  }

  public DecisionThresholds withIntent(IntentThresholds other) {
    return new DecisionThresholds(other, answerLine, clarifyCoverage, clarifyRatio, maxUnknownShare);
  }

  /** Fitted for lexical search only; similarity is never known there. */
  public static DecisionThresholds lexicalDefaults() {
    return new DecisionThresholds(new IntentThresholds(0.35, 0.6, 0.55, 0.3),
        new AnswerLine(8.0, List.of(2.9528, -0.6064, 0.0173, -0.0098, -4.2053, 2.1043, -1.4234, 1.454, 6.2148, 0.0, 0.0,
            3.9078, 5.7207), -3.8418, 0.87), 0.1, 0.6, 0.8);
  }
}
