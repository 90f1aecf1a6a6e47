package cn.legalkoi.answer;

/**
 * Where the answer decision draws its lines. Fitted on the tune part of the labelled questions by
 * {@code legal-koi evaluate --fit}; the run behind the defaults is recorded in docs/search-quality.md.
 *
 * @param intent where the intent model's probabilities route a message (hand over, chat, no answer, search)
 * @param answerCoverage least share of the question's bigrams found in the best guidance's title, questions
 *     and short answer for a confident answer
 * @param maxRunnerUpRatio the runner-up's score over the best score must not exceed this for an answer ...
 * @param coverageLead ... unless the best covers the question this much better than the runner-up
 * @param clarifyCoverage least coverage for offering a choice of topics instead of saying no answer
 * @param clarifyRatio a topic is offered in a clarify reply when its score is at least this share of the best
 * @param maxUnknownShare above this share of words no guidance knows, the question is out of scope: no answer
 * @param answerSimilarity with semantic retrieval, a best candidate this similar in meaning (cosine) counts as
 *     covering the question even when it shares few words with it
 * @param similarityLead with semantic retrieval, the best candidate is also clearly ahead when it is this much
 *     closer in meaning than the runner-up
 * @param maxOutsideToAnswer no answer, only a choice of topics or none, when the intent model gives at least this
 *     probability to a legal question outside the guidance
 */
public record DecisionThresholds(IntentThresholds intent, double answerCoverage, double maxRunnerUpRatio,
    double coverageLead, double clarifyCoverage, double clarifyRatio, double maxUnknownShare, double answerSimilarity,
    double similarityLead, double maxOutsideToAnswer) {

  /** Fitted with semantic retrieval on (hybrid ranking, lexical share 0.5). */
  public static DecisionThresholds defaults() {
    return new DecisionThresholds(new IntentThresholds(0.5, 0.3, 0.3, 0.25), 0.5, 0.65, 1.0, 0.2, 0.6, 0.8, 0.55, 0.04,
        0.3);
  }

  public DecisionThresholds withIntent(IntentThresholds other) {
    return new DecisionThresholds(other, answerCoverage, maxRunnerUpRatio, coverageLead, clarifyCoverage, clarifyRatio,
        maxUnknownShare, answerSimilarity, similarityLead, maxOutsideToAnswer);
  }

  /** Fitted for lexical search only; similarity is never known there. */
  public static DecisionThresholds lexicalDefaults() {
    return new DecisionThresholds(new IntentThresholds(0.35, 0.6, 0.55, 0.3), 0.2, 0.7, 1.0, 0.1, 0.6, 0.7, 2.0, 2.0, 0.4);
  }
}
