package cn.legalkoi.chat;

import static cn.legalkoi.store.Transactions.inTransaction;

import cn.legalkoi.store.Dialect;
import cn.legalkoi.store.Migration;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The conversation module's tables and statements: conversations with their per-owner state, every inbound
 * message id (the record that stops a redelivery), the transcript, and the outbox every reply leaves through.
 * Blocking JDBC: run through {@link cn.legalkoi.store.Store#run}.
 */
final class ChatStore {

  static final List<Migration> MIGRATIONS = List.of(Migration.of("chat", 1,
      "CREATE TABLE conversations ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " channel TEXT NOT NULL, user_id TEXT NOT NULL, conversation_key TEXT NOT NULL,"
          + " reply_target TEXT NOT NULL,"
          + " clarify_doc_ids TEXT,"
          + " last_answer_doc_id TEXT,"
          + " window_start INTEGER NOT NULL DEFAULT 0, window_count INTEGER NOT NULL DEFAULT 0,"
          + " told_limited INTEGER NOT NULL DEFAULT 0,"
          + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
          + " UNIQUE (channel, conversation_key, user_id))",
      // message ids are kept beyond any purge of content: WeCom callbacks carry no timestamp window
      "CREATE TABLE inbound ("
          + " channel TEXT NOT NULL, message_id TEXT NOT NULL,"
          + " conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
          + " type TEXT NOT NULL, text TEXT, media_id TEXT,"
          + " state TEXT NOT NULL CHECK (state IN ('pending', 'answered', 'limited')),"
          + " received_at INTEGER NOT NULL,"
          + " PRIMARY KEY (channel, message_id))",
      "CREATE INDEX inbound_pending ON inbound(state) WHERE state = 'pending'",
      "CREATE TABLE transcript ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
          + " author TEXT NOT NULL CHECK (author IN ('owner', 'bot', 'adviser')),"
          + " kind TEXT NOT NULL, text TEXT NOT NULL, meta TEXT, at INTEGER NOT NULL)",
      "CREATE INDEX transcript_conversation ON transcript(conversation_id, id)",
      "CREATE TABLE outbox ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
          + " channel TEXT NOT NULL, text TEXT NOT NULL,"
          + " in_reply_to TEXT,"
          + " state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),"
          + " attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,"
          + " created_at INTEGER NOT NULL, sent_at INTEGER,"
          + " UNIQUE (channel, in_reply_to))",
      "CREATE INDEX outbox_due ON outbox(state, next_attempt_at)",
      "CREATE TABLE feedback ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
          + " doc_id TEXT, satisfied INTEGER NOT NULL, at INTEGER NOT NULL)"),
      // each reply keeps where its own message came from (the message a Feishu reply quotes, a session webhook),
      // rather than the conversation's latest
      Migration.of("chat", 2, "ALTER TABLE outbox ADD COLUMN target TEXT"),
      // a resolved ticket asks its owner for a rating: the conversation's most recent numbered prompt
      Migration.of("chat", 3, "ALTER TABLE conversations ADD COLUMN rating_ticket_id INTEGER"),
      // a reply carried in the platform's response to its message (WeCom's passive reply): sent when recorded, and
      // given again to a redelivery of that message
      Migration.of("chat", 4, "ALTER TABLE outbox ADD COLUMN passive INTEGER NOT NULL DEFAULT 0"),
      // a node sending a reply claims it until then, so that no other node sharing the database sends it too
      Migration.of("chat", 5, "ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0"));

  /**
   * What the conversation remembers between an owner's messages.
   *
   * @param ratingTicketId the resolved ticket the owner was last asked to rate (0: none); a rating or a number
   *     1–5 goes to it until another numbered prompt replaces it
   */
  record State(List<String> clarifyDocIds, String lastAnswerDocId, long windowStart, int windowCount,
      boolean toldLimited, long ratingTicketId) {
    State withWindow(long start, int count, boolean told) {
      return new State(clarifyDocIds, lastAnswerDocId, start, count, told, ratingTicketId);
    }
  }

  /** A stored inbound message not yet answered, with its conversation. */
  record Pending(long conversationId, InboundMessage message) {
  }

  /** One line of a conversation as its pages show it. */
  record Line(long id, String author, String kind, String text, JsonObject meta, long at) {
  }

  private ChatStore() {
  }

  /**
   * Records the message and its owner's conversation in one transaction; the conversation's id, or empty when
   * this channel has seen the message id before.
   */
  static Optional<Long> accept(Connection c, InboundMessage m, long now) throws SQLException {
    return inTransaction(c, () -> {
      long conversation;
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO conversations (channel, user_id, conversation_key, reply_target, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, conversation_key, user_id)"
              + " DO UPDATE SET reply_target = excluded.reply_target, updated_at = excluded.updated_at RETURNING id")) {
        st.setString(1, m.channel().wireName());
        st.setString(2, m.userId());
        st.setString(3, m.conversationKey());
        st.setString(4, m.target().encode());
        st.setLong(5, now);
        st.setLong(6, now);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          conversation = rs.getLong(1);
        }
      }
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO inbound (channel, message_id, conversation_id, type, text, media_id, state,"
              + " received_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING")) {
        st.setString(1, m.channel().wireName());
        st.setString(2, m.messageId());
        st.setLong(3, conversation);
        st.setString(4, m.type());
        st.setString(5, m.text());
        st.setString(6, m.mediaId());
        st.setLong(7, now);
        if (st.executeUpdate() == 0) {
          return Optional.<Long>empty();
        }
      }
      // a picture or file keeps its reference with its line, for the tickets to fetch it
      JsonObject media = m.mediaReference().map(ref -> new JsonObject().put("messageId", m.messageId())
          .put("media", ref)).orElse(null);
      addLine(c, conversation, "owner", m.type(), m.isText() ? m.text() : "[" + m.type() + "]", media, now);
      return Optional.of(conversation);
    });
  }

  static State state(Connection c, long conversation) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT clarify_doc_ids, last_answer_doc_id, window_start,"
        + " window_count, told_limited, rating_ticket_id FROM conversations WHERE id = ?")) {
      st.setLong(1, conversation);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no conversation " + conversation);
        }
        List<String> clarify = new ArrayList<>();
        if (rs.getString(1) != null) {
          new JsonArray(rs.getString(1)).forEach(id -> clarify.add(String.valueOf(id)));
        }
        return new State(List.copyOf(clarify), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getInt(5) == 1,
            rs.getLong(6));
      }
    }
  }

  /** True while the message waits for its answer. */
  static boolean isPending(Connection c, InboundMessage m) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT 1 FROM inbound WHERE channel = ? AND message_id = ? AND state = 'pending'")) {
      st.setString(1, m.channel().wireName());
      st.setString(2, m.messageId());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The outcome of one inbound message, in one transaction: its state, the conversation's new state, and the
   * reply (if any) in the transcript and the outbox. A second outcome for the same message adds no reply.
   */
  static void recordOutcome(Connection c, long conversation, InboundMessage m, String inboundState, State state,
      Optional<Reply> reply, long now) throws SQLException {
    recordOutcome(c, conversation, m, inboundState, state.ratingTicketId(), state, reply, now);
  }

  /**
   * @param ratingBefore the rating request the answer was worked out from: the conversation's is replaced only if it
   *     is still that one, so a ticket resolved while the answer was being worked out keeps its request for a rating
   */
  static void recordOutcome(Connection c, long conversation, InboundMessage m, String inboundState, long ratingBefore,
      State state, Optional<Reply> reply, long now) throws SQLException {
    recordOutcome(c, conversation, m, inboundState, ratingBefore, state, reply, null, now);
  }

  /**
   * @param passive when given and the conversation has no reply waiting to be sent (which this one must not
   *     overtake), the reply is recorded as sent in the platform's response, if the slot can still be claimed
   * @return the reply's text when it was recorded for the response; empty when it goes through the outbox or there
   *     is none
   */
  static Optional<String> recordOutcome(Connection c, long conversation, InboundMessage m, String inboundState,
      long ratingBefore, State state, Optional<Reply> reply, PassiveReply passive, long now) throws SQLException {
    return inTransaction(c, () -> {
      try (PreparedStatement st = c.prepareStatement(
          "UPDATE inbound SET state = ? WHERE channel = ? AND message_id = ?")) {
        st.setString(1, inboundState);
        st.setString(2, m.channel().wireName());
        st.setString(3, m.messageId());
        st.executeUpdate();
      }
      try (PreparedStatement st = c.prepareStatement("UPDATE conversations SET clarify_doc_ids = ?,"
          + " last_answer_doc_id = ?, window_start = ?, window_count = ?, told_limited = ?,"
          + " rating_ticket_id = CASE WHEN COALESCE(rating_ticket_id, 0) = ? THEN ? ELSE rating_ticket_id END,"
          + " updated_at = ? WHERE id = ?")) {
        st.setString(1, state.clarifyDocIds().isEmpty() ? null : new JsonArray(state.clarifyDocIds()).encode());
        st.setString(2, state.lastAnswerDocId());
        st.setLong(3, state.windowStart());
        st.setInt(4, state.windowCount());
        st.setInt(5, state.toldLimited() ? 1 : 0);
        st.setLong(6, ratingBefore);
        if (state.ratingTicketId() > 0) {
          st.setLong(7, state.ratingTicketId());
        } else {
          st.setNull(7, java.sql.Types.INTEGER);
        }
        st.setLong(8, now);
        st.setLong(9, conversation);
        st.executeUpdate();
      }
      if (reply.isEmpty()) {
        return Optional.<String>empty();
      }
      boolean inResponse = passive != null && !hasReplyWaiting(c, conversation) && passive.claim();
      try (PreparedStatement st = c.prepareStatement("INSERT INTO outbox (conversation_id, channel, text,"
          + " in_reply_to, target, state, next_attempt_at, created_at, sent_at, passive)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        st.setLong(1, conversation);
        st.setString(2, m.channel().wireName());
        st.setString(3, reply.get().text());
        st.setString(4, m.messageId());
        st.setString(5, m.target().encode());
        st.setString(6, inResponse ? "sent" : "pending");
        st.setLong(7, now);
        st.setLong(8, now);
        if (inResponse) {
          st.setLong(9, now);
        } else {
          st.setNull(9, java.sql.Types.INTEGER);
        }
        st.setInt(10, inResponse ? 1 : 0);
        if (st.executeUpdate() == 0) {
          // a second outcome for the message: its reply was recorded (and sent or queued) by the first
          return Optional.<String>empty();
        }
      }
      addLine(c, conversation, "bot", reply.get().kind(), reply.get().text(), reply.get().meta(), now);
      return inResponse ? Optional.of(reply.get().text()) : Optional.<String>empty();
    });
  }

  private static boolean hasReplyWaiting(Connection c, long conversation) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE state = 'pending' AND conversation_id = ?)"
            + " THEN 1 ELSE 0 END")) {
      st.setLong(1, conversation);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() && rs.getInt(1) == 1;
      }
    }
  }

  /** The reply given in the platform's response to this message, for its redelivery; empty if there was none. */
  static Optional<String> passiveReplyTo(Connection c, InboundMessage m) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT text FROM outbox WHERE channel = ? AND in_reply_to = ? AND passive = 1")) {
      st.setString(1, m.channel().wireName());
      st.setString(2, m.messageId());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static void recordFeedback(Connection c, long conversation, String docId, boolean satisfied, long now)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO feedback (conversation_id, doc_id, satisfied, at) VALUES (?, ?, ?, ?)")) {
      st.setLong(1, conversation);
      st.setString(2, docId);
      st.setInt(3, satisfied ? 1 : 0);
      st.setLong(4, now);
      st.executeUpdate();
    }
  }

  /** Messages recorded at or before {@code receivedBefore} and not yet answered, oldest first. */
  static List<Pending> pending(Connection c, long receivedBefore) throws SQLException {
    List<Pending> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT i.conversation_id, i.channel, i.message_id, v.user_id,"
        + " v.conversation_key, i.type, i.text, i.media_id, v.reply_target FROM inbound i"
        + " JOIN conversations v ON v.id = i.conversation_id WHERE i.state = 'pending' AND i.received_at <= ?"
        + " ORDER BY i.received_at")) {
      st.setLong(1, receivedBefore);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
        out.add(new Pending(rs.getLong(1), new InboundMessage(Channel.fromWireName(rs.getString(2)), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            new JsonObject(rs.getString(9)))));
        }
      }
    }
    return out;
  }

  /**
   * Replies due now, at most {@code limit}; {@code held} when a due reply was left out because an earlier reply of
   * its conversation waits for a later retry (or lies beyond this batch): nothing overtakes an owner's earlier reply.
   */
  record Due(List<Outgoing> messages, boolean held) {
  }

  /**
   * Reads the replies due now and not claimed by a node. On PostgreSQL the rows read are locked until the
   * caller's transaction ends and rows another node has locked are skipped ({@code FOR UPDATE SKIP LOCKED}), so
   * two nodes reading at once get different replies; the caller claims those it sends ({@link #claim}) in the same
   * transaction. Only a conversation's oldest pending reply may go: a later one is held (even while the earlier
   * waits for its retry, or is locked or claimed by another node), so that an owner's replies arrive in order.
   */
  static Due due(Connection c, Dialect dialect, long now, int limit) throws SQLException {
    List<Outgoing> out = new ArrayList<>();
    boolean held = false;
    try (PreparedStatement st = c.prepareStatement("SELECT o.id, o.conversation_id, o.channel, v.user_id,"
        + " COALESCE(o.target, v.reply_target), o.text, o.attempts, o.created_at, CASE WHEN EXISTS (SELECT 1"
        + " FROM outbox p WHERE p.state = 'pending' AND p.conversation_id = o.conversation_id AND p.id < o.id)"
        + " THEN 1 ELSE 0 END FROM outbox o JOIN conversations v ON v.id = o.conversation_id"
        + " WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND o.claimed_until <= ?"
        + " ORDER BY o.next_attempt_at, o.id LIMIT ?" + dialect.lockSkippingLocked("o"))) {
      st.setLong(1, now);
      st.setLong(2, now);
      st.setInt(3, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt(9) == 1) {
            held = true;
            continue;
          }
          out.add(new Outgoing(rs.getLong(1), rs.getLong(2), Channel.fromWireName(rs.getString(3)), rs.getString(4),
              new JsonObject(rs.getString(5)), rs.getString(6), rs.getInt(7), rs.getLong(8)));
        }
      }
    }
    return new Due(out, held);
  }

  /** Claims a reply for this node until {@code until}: no node reads it as due before then, unless it is settled. */
  static void claim(Connection c, long id, long until) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET claimed_until = ? WHERE id = ?")) {
      st.setLong(1, until);
      st.setLong(2, id);
      st.executeUpdate();
    }
  }

  static void markSent(Connection c, long id, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET state = 'sent', sent_at = ?,"
        + " attempts = attempts + 1, last_error = NULL, claimed_until = 0 WHERE id = ?")) {
      st.setLong(1, now);
      st.setLong(2, id);
      st.executeUpdate();
    }
  }

  /** @param nextAttemptAt when to try again; negative: give up, the message is shown as failed */
  static void markFailedAttempt(Connection c, long id, long nextAttemptAt, String error) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
        + " next_attempt_at = ?, state = ?, claimed_until = 0 WHERE id = ?")) {
      st.setString(1, error);
      st.setLong(2, Math.max(0, nextAttemptAt));
      st.setString(3, nextAttemptAt < 0 ? "failed" : "pending");
      st.setLong(4, id);
      st.executeUpdate();
    }
  }

  static Optional<Long> conversationOf(Connection c, Channel channel, String userId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT id FROM conversations WHERE channel = ? AND user_id = ? AND conversation_key = ?")) {
      st.setString(1, channel.wireName());
      st.setString(2, userId);
      st.setString(3, userId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  static List<Line> lines(Connection c, long conversation, long afterId, int limit) throws SQLException {
    List<Line> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT id, author, kind, text, meta, at FROM transcript"
        + " WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?")) {
      st.setLong(1, conversation);
      st.setLong(2, afterId);
      st.setInt(3, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Line(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5) == null ? new JsonObject() : new JsonObject(rs.getString(5)), rs.getLong(6)));
        }
      }
    }
    return out;
  }

  static long addLine(Connection c, long conversation, String author, String kind, String text,
      JsonObject meta, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO transcript (conversation_id, author, kind, text, meta, at) VALUES (?, ?, ?, ?, ?, ?)",
        PreparedStatement.RETURN_GENERATED_KEYS)) {
      st.setLong(1, conversation);
      st.setString(2, author);
      st.setString(3, kind);
      st.setString(4, text);
      st.setString(5, meta == null || meta.isEmpty() ? null : meta.encode());
      st.setLong(6, now);
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }


}
