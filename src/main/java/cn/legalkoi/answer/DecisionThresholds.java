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
    return new DecisionThresholds(new IntentThresholds(0.5, 0.45, 0.35, 0.25),
        new AnswerLine(2.0, List.of(3.1342, 2.0745, -0.6655, -0.1391, -5.9489, 1.6024, 0.4585, -0.5488, 6.6218, 5.5763,
            14.8948, -1.4915, 3.9216), -5.6723, 0.948), 0.2, 0.6, 0.9);
  }

  public DecisionThresholds withIntent(IntentThresholds other) {
    return new DecisionThresholds(other, answerLine, clarifyCoverage, clarifyRatio, maxUnknownShare);
  }

  /** Fitted for lexical search only; similarity is never known there. */
  public static DecisionThresholds lexicalDefaults() {
    return new DecisionThresholds(new IntentThresholds(0.4, 0.65, 0.35, 0.2),
        new AnswerLine(8.0, List.of(2.6372, -0.6115, 0.0068, -0.0047, -4.4342, 2.3413, -1.5731, 0.8753, 6.5903, 0.0, 0.0,
            5.4547, 5.2005), -4.1181, 0.791), 0.2, 0.6, 0.9);
  }
}
