package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer/clarify/no-answer line for a message the intent model routed to the guidance, as a pure function
 * of its match features and intent scores, so the line can be fitted on labelled questions without searching again.
 */
public final class DecisionRule {
  private static final int MAX_CLARIFY = 3;

  private DecisionRule() {
  }

  /** The kind of reply and the guidance it draws on (one for an answer, two or three for clarify). */
  public record Decision(AskReply.Kind kind, List<String> docIds) {
  }

  public static Decision decide(MatchFeatures f, IntentScores scores, DecisionThresholds t) {
    if (f.isEmpty() || f.unknownShare() > t.maxUnknownShare()) {
      return new Decision(AskReply.Kind.NO_ANSWER, List.of());
    }
    AnswerLine.Reading reading = AnswerLine.read(f, scores, t.answerLine().voteWeight());
    if (t.answerLine().answers(reading.features())) {
      return new Decision(AskReply.Kind.ANSWER, List.of(reading.first().docId()));
    }
    if (f.coverage() >= t.clarifyCoverage()) {
      double best = reading.rankedScores().get(0);
      List<String> topics = new ArrayList<>();
      for (int i = 0; i < reading.ranked().size(); i++) {
        SearchHit hit = reading.ranked().get(i);
        if (topics.size() < MAX_CLARIFY && reading.rankedScores().get(i) >= best * t.clarifyRatio()) {
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
