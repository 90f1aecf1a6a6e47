package cn.legalkoi.gaps;

import cn.legalkoi.answer.Commands;
import cn.legalkoi.store.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads, never writes, the conversation tables for questions owners did not get met. A bot line is tied to the
 * owner message it answers through the outbox row written in the same transaction (same conversation, time and
 * text), whose {@code in_reply_to} names the inbound message: exact even when an owner sent two messages before
 * the first was answered. Only text messages count; notices (slow_down, rating, too_long …) are not outcomes.
 * Blocking JDBC: run through {@link cn.legalkoi.store.Store#run}.
 */
final class UnmetQuestionStore {
  /** Indexes for these reads only; the chat module's tables and migrations are left as they are. */
  static final List<Migration> MIGRATIONS = List.of(Migration.of("gaps", 1,
      "CREATE INDEX gaps_bot_outcome ON transcript(kind, at) WHERE author = 'bot'",
      "CREATE INDEX gaps_outbox_reply ON outbox(conversation_id, created_at)",
      "CREATE INDEX gaps_feedback_at ON feedback(satisfied, at)"));

  private static final String QUESTION_OF_BOT_LINE = " FROM transcript t"
      + " JOIN outbox o ON o.conversation_id = t.conversation_id AND o.created_at = t.at AND o.text = t.text"
      + " JOIN inbound i ON i.channel = o.channel AND i.message_id = o.in_reply_to"
      + " WHERE t.author = 'bot' AND i.type = 'text' AND i.text IS NOT NULL";

  private UnmetQuestionStore() {
  }

  /** Questions met with no_answer or clarify, or whose answer was rated 不满意, since {@code since}; the latest
   * {@code limit}, newest first. */
  static List<UnmetQuestion> since(Connection c, long since, int limit) throws SQLException {
    Map<String, Asked> byKey = new LinkedHashMap<>();
    try (PreparedStatement st = c.prepareStatement("SELECT t.kind, i.channel || '/' || i.message_id, i.text,"
        + " i.received_at" + QUESTION_OF_BOT_LINE + " AND t.kind IN ('no_answer', 'clarify') AND t.at >= ?"
        + " ORDER BY t.at DESC LIMIT ?")) {
      st.setLong(1, since);
      st.setInt(2, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Outcome outcome = "clarify".equals(rs.getString(1)) ? Outcome.CLARIFY : Outcome.NO_ANSWER;
          add(byKey, new Asked(rs.getString(2), rs.getString(3), rs.getLong(4), 0), outcome);
        }
      }
    }
    for (long[] rated : unsatisfied(c, since, limit)) {
      questionRated(c, rated[0], rated[1]).ifPresent(asked -> add(byKey, asked, Outcome.UNSATISFIED));
    }
    return byKey.values().stream()
        .map(a -> new UnmetQuestion(a.key, a.text, a.askedAt, EnumSet.copyOf(a.outcomes)))
        .sorted(Comparator.comparingLong(UnmetQuestion::askedAt).reversed())
        .limit(limit)
        .toList();
  }

  private static final class Asked {
    final String key;
    final String text;
    final long askedAt;
    final long lineId;
    final EnumSet<Outcome> outcomes = EnumSet.noneOf(Outcome.class);

    Asked(String key, String text, long askedAt, long lineId) {
      this.key = key;
      this.text = text;
      this.askedAt = askedAt;
      this.lineId = lineId;
    }
  }

  private static void add(Map<String, Asked> byKey, Asked asked, Outcome outcome) {
    byKey.computeIfAbsent(asked.key, k -> asked).outcomes.add(outcome);
  }

  /** (conversation, rated at) of each 不满意 since {@code since}, newest first. */
  private static List<long[]> unsatisfied(Connection c, long since, int limit) throws SQLException {
    List<long[]> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT conversation_id, at FROM feedback"
        + " WHERE satisfied = 0 AND at >= ? ORDER BY at DESC LIMIT ?")) {
      st.setLong(1, since);
      st.setInt(2, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
    }
    return out;
  }

  /**
   * The question behind the answer a rating is about: the conversation's last answer before the rating. When that
   * answer was picked by number from a clarify list ("2"), the question is the one the list was offered for.
   */
  private static Optional<Asked> questionRated(Connection c, long conversation, long ratedAt) throws SQLException {
    Optional<Asked> answered = lastBefore(c, conversation, "answer", ratedAt, Long.MAX_VALUE);
    if (answered.isPresent() && Commands.read(answered.get().text)
        .filter(r -> r.command() == Commands.Command.NUMBER).isPresent()) {
      return lastBefore(c, conversation, "clarify", ratedAt, answered.get().lineId);
    }
    return answered;
  }

  private static Optional<Asked> lastBefore(Connection c, long conversation, String kind, long at, long beforeLine)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT i.channel || '/' || i.message_id, i.text, i.received_at,"
        + " t.id" + QUESTION_OF_BOT_LINE + " AND t.conversation_id = ? AND t.kind = ? AND t.at <= ? AND t.id < ?"
        + " ORDER BY t.id DESC LIMIT 1")) {
      st.setLong(1, conversation);
      st.setString(2, kind);
      st.setLong(3, at);
      st.setLong(4, beforeLine);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(new Asked(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
            : Optional.empty();
      }
    }
  }
}
