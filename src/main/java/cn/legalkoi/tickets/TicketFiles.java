package cn.legalkoi.tickets;

import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.store.Migration;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pictures, voice and files owners send on an open ticket: recorded as {@code pending} with the message (in the
 * conversation's transaction), then fetched by the {@link MediaFetcher} and ended as {@code stored} (kept under
 * {@code dataDir/files/}, named by id only), {@code expired} (the platform no longer serves it), {@code too_large},
 * {@code refused} (a type not accepted, or not what it claims to be) or {@code failed} (given up after retries).
 * Blocking JDBC: run through {@link cn.legalkoi.store.Store#run}.
 */
final class TicketFiles {
  static final String PENDING = "pending";
  static final String STORED = "stored";
  static final String EXPIRED = "expired";
  static final String TOO_LARGE = "too_large";
  static final String REFUSED = "refused";
  static final String FAILED = "failed";

  static final Migration SCHEMA = Migration.of("tickets", 3,
      "CREATE TABLE ticket_files ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
          // the owner's transcript line that showed the file (0 when it could not be found) and the inbound message
          + " line_id INTEGER NOT NULL DEFAULT 0, channel TEXT NOT NULL, message_id TEXT NOT NULL,"
          // what the platform's media API needs: {"mediaId", "type"[, "messageId"][, "name"]}
          + " reference TEXT NOT NULL,"
          + " declared_type TEXT NOT NULL, declared_name TEXT,"
          + " content_type TEXT, size INTEGER, sha256 TEXT,"
          + " state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'expired', 'too_large', 'refused', 'failed')),"
          + " error TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,"
          // relative to dataDir/files, the file's id and nothing a platform or an owner chose
          + " stored_path TEXT,"
          + " received_at INTEGER NOT NULL, created_at INTEGER NOT NULL, fetched_at INTEGER,"
          + " UNIQUE (channel, message_id))",
      "CREATE INDEX ticket_files_due ON ticket_files(state, next_attempt_at)",
      "CREATE INDEX ticket_files_ticket ON ticket_files(ticket_id, id)");

  private static final String COLUMNS = "id, ticket_id, line_id, channel, message_id, reference, declared_type,"
      + " declared_name, content_type, size, sha256, state, error, attempts, next_attempt_at, stored_path,"
      + " received_at, created_at, fetched_at";

  /** One file as the table holds it. */
  record TicketFile(long id, long ticketId, long lineId, String channel, String messageId, JsonObject reference,
      String declaredType, String declaredName, String contentType, long size, String sha256, String state,
      String error, int attempts, long nextAttemptAt, String storedPath, long receivedAt, long createdAt,
      long fetchedAt) {
    boolean isStored() {
      return STORED.equals(state);
    }
  }

  /** How far back an owner's message's own transcript line is looked for. */
  private static final int RECENT_LINES = 50;

  private TicketFiles() {
  }

  /**
   * Records the picture or file of an owner's message on the ticket, pending, unless the message carries none or
   * was recorded before. The reference is the one kept with the message's transcript line (written while the
   * message was at hand), or else the message's own.
   */
  static void recordFor(Connection c, long ticketId, long conversationId, InboundMessage message, long now)
      throws SQLException {
    long lineId = 0;
    long receivedAt = now;
    JsonObject reference = message.mediaReference().orElse(null);
    // the message's line is among the conversation's latest (it was written just before); read in Java, as the
    // JSON functions of SQLite and PostgreSQL differ
    try (PreparedStatement st = c.prepareStatement("SELECT id, meta, at FROM transcript WHERE conversation_id = ?"
        + " AND author = 'owner' AND meta IS NOT NULL ORDER BY id DESC LIMIT " + RECENT_LINES)) {
      st.setLong(1, conversationId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          JsonObject meta = new JsonObject(rs.getString(2));
          if (message.messageId().equals(meta.getValue("messageId"))) {
            lineId = rs.getLong(1);
            receivedAt = rs.getLong(3);
            JsonObject kept = meta.getJsonObject("media");
            reference = kept == null ? reference : kept;
            break;
          }
        }
      }
    }
    if (reference == null) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement("INSERT INTO ticket_files (ticket_id, line_id,"
        + " channel, message_id, reference, declared_type, declared_name, state, next_attempt_at, received_at,"
        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING")) {
      st.setLong(1, ticketId);
      st.setLong(2, lineId);
      st.setString(3, message.channel().wireName());
      st.setString(4, message.messageId());
      st.setString(5, reference.encode());
      st.setString(6, message.type());
      st.setString(7, reference.getValue("name") instanceof String ? reference.getString("name") : null);
      st.setLong(8, now);
      st.setLong(9, receivedAt);
      st.setLong(10, now);
      st.executeUpdate();
    }
  }

  /** Pending files whose next attempt is due, oldest first. */
  static List<TicketFile> due(Connection c, long now, int limit) throws SQLException {
    return select(c, "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", now,
        limit);
  }

  /** When the next pending file is due, if any is. */
  static Optional<Long> nextDue(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT MIN(next_attempt_at) FROM ticket_files WHERE state = 'pending'");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      long at = rs.getLong(1);
      return rs.wasNull() ? Optional.empty() : Optional.of(at);
    }
  }

  static List<TicketFile> ofTicket(Connection c, long ticketId) throws SQLException {
    return select(c, "WHERE ticket_id = ? ORDER BY id", ticketId);
  }

  static Optional<TicketFile> find(Connection c, long ticketId, long id) throws SQLException {
    List<TicketFile> found = select(c, "WHERE ticket_id = ? AND id = ?", ticketId, id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static void stored(Connection c, long id, String contentType, long size, String sha256, String name,
      String storedPath, long now) throws SQLException {
    update(c, id, "state = 'stored', content_type = ?, size = ?, sha256 = ?,"
        + " declared_name = COALESCE(declared_name, ?), stored_path = ?, error = NULL, attempts = attempts + 1,"
        + " fetched_at = ?", contentType, size, sha256, name, storedPath, now);
  }

  /** Ends a file without keeping it: expired, too large, refused, or failed for good. */
  static void ended(Connection c, long id, String state, String error, String contentType, long size, long now)
      throws SQLException {
    update(c, id, "state = ?, error = ?, content_type = ?, size = ?, attempts = attempts + 1, fetched_at = ?", state,
        error, contentType, size < 0 ? null : size, now);
  }

  static void retryAt(Connection c, long id, String error, long nextAttemptAt) throws SQLException {
    update(c, id, "error = ?, attempts = attempts + 1, next_attempt_at = ?", error, nextAttemptAt);
  }

  private static void update(Connection c, long id, String assignments, Object... args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE ticket_files SET " + assignments
        + " WHERE id = ? AND state = 'pending'")) {
      int i = 1;
      for (Object arg : args) {
        st.setObject(i++, arg);
      }
      st.setLong(i, id);
      st.executeUpdate();
    }
  }

  private static List<TicketFile> select(Connection c, String where, Object... args) throws SQLException {
    List<TicketFile> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM ticket_files " + where)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new TicketFile(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
              new JsonObject(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
              rs.getObject(10) == null ? -1 : rs.getLong(10), rs.getString(11), rs.getString(12), rs.getString(13),
              rs.getInt(14), rs.getLong(15), rs.getString(16), rs.getLong(17), rs.getLong(18), rs.getLong(19)));
        }
      }
    }
    return out;
  }
}
