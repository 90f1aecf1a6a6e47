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
    return new DecisionThresholds(new IntentThresholds(0.4, 0.65, 0.45, 0.25),
        new AnswerLine(2.0, List.of(0.8423, 0.0436, 0.3605, -0.8776, -4.6136, 0.5559, 0.3386, -0.0383, 6.7394, -3.735,
            8.6801, -0.2182, 6.3923, 5.7718, 10.3778), -3.1748, 0.899), 0.2, 0.6, 0.9);
  }

  public DecisionThresholds withIntent(IntentThresholds other) {
    return new DecisionThresholds(other, answerLine, clarifyCoverage, clarifyRatio, maxUnknownShare);
  }

  /** Fitted for lexical search only; similarity is never known there. */
  public static DecisionThresholds lexicalDefaults() {
    return new DecisionThresholds(new IntentThresholds(0.4, 0.45, 0.35, 0.05),
        new AnswerLine(8.0, List.of(1.0377, -1.8859, 0.0006, 0.0139, -2.5763, 1.3655, -0.7953, 0.7323, 6.0477, 0.0,
            0.0, 3.8287, 5.0101, 4.5726, 7.0281), -4.544, 0.873), 0.2, 0.6, 0.9);
  }
}
