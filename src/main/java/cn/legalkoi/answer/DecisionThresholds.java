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
    return new DecisionThresholds(new IntentThresholds(0.4, 0.35, 0.3, 0.2),
        new AnswerLine(0.5, List.of(1.8111, -0.2199, 0.0768, 1.4126, -3.9309, 0.253, -0.6822, -0.1894, 6.2238, 0.3161,
            8.7188, -0.8651, 4.2766, 4.1251, 9.2945), -3.5827, 0.889), 0.1, 0.6, 0.9);
  }

  public DecisionThresholds withIntent(IntentThresholds other) {
    return new DecisionThresholds(other, answerLine, clarifyCoverage, clarifyRatio, maxUnknownShare);
  }

  /** Fitted for lexical search only; similarity is never known there. */
  public static DecisionThresholds lexicalDefaults() {
    return new DecisionThresholds(new IntentThresholds(0.35, 0.5, 0.35, 0.05),
        new AnswerLine(8.0, List.of(0.9944, -1.5575, 0.0158, 0.0216, -2.4137, 1.1525, -0.0545, 0.0547, 5.7795, 0.0,
            0.0, 3.5049, 4.5571, 1.628, 6.9127), -4.7893, 0.77), 0.1, 0.6, 0.9);
  }
}
