package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer/clarify/no-answer line for a message the intent model routed to the guidance, as a pure function
 * of its match features, so the thresholds can be fitted on labelled questions without searching again.
 */
public final class DecisionRule {
  private static final int MAX_CLARIFY = 3;

  private DecisionRule() {
  }

  /** The kind of reply and the guidance it draws on (one for an answer, two or three for clarify). */
  public record Decision(AskReply.Kind kind, List<String> docIds) {
  }

  /** @param outside the intent model's probability that the message is a legal question outside the guidance */
  public static Decision decide(MatchFeatures f, double outside, DecisionThresholds t) {
    if (f.unknownShare() > t.maxUnknownShare()) {
      return new Decision(AskReply.Kind.NO_ANSWER, List.of());
    }
    boolean clearlyAhead = f.runnerUpRatio() <= t.maxRunnerUpRatio()
        || f.coverage() - f.runnerUpCoverage() >= t.coverageLead()
        || f.similarityLead() >= t.similarityLead();
    boolean covered = f.coverage() >= t.answerCoverage() || f.similarity() >= t.answerSimilarity();
    if (!f.isEmpty() && covered && clearlyAhead && f.askAgrees() && outside <= t.maxOutsideToAnswer()) {
      return new Decision(AskReply.Kind.ANSWER, List.of(f.candidates().get(0).docId()));
    }
    if (!f.isEmpty() && f.coverage() >= t.clarifyCoverage()) {
      float best = f.candidates().get(0).score();
      List<String> topics = new ArrayList<>();
      for (SearchHit hit : f.candidates()) {
        if (topics.size() < MAX_CLARIFY && hit.score() >= best * t.clarifyRatio()) {
          topics.add(hit.docId());
        }
      }
      if (topics.size() >= 2) {
        return new Decision(AskReply.Kind.CLARIFY, List.copyOf(topics));
      }
    }
    return new Decision(AskReply.Kind.NO_ANSWER, List.of());
  }
}
