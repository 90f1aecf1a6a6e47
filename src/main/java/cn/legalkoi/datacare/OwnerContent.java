package cn.legalkoi.datacare;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What erasing an owner's content means, for retention and for an owner's request alike. Text is replaced by
 * {@link #ERASED} (or set NULL where the column allows it); ids, kinds, authors, states and times stay, so message
 * ids still stop replays ({@code inbound}), transcript lines keep their places, and a ticket keeps its department,
 * milestones, breaches and rating for the 315 report. Blocking JDBC, inside the caller's transaction.
 */
final class OwnerContent {
  static final String ERASED = "[内容已删除]";
  /** What an erased file's row says instead of the platform's reference to it. */
  static final String NO_REFERENCE = "{}";

  private OwnerContent() {
  }

  /**
   * Blanks one conversation's lines, received messages and sent replies up to {@code upTo} (epoch ms, inclusive).
   * Messages still being answered or sent are left for their work to finish. The number of rows changed.
   */
  static int eraseConversation(Connection c, long conversationId, long upTo) throws SQLException {
    int changed = 0;
    changed += update(c, "UPDATE transcript SET text = ? WHERE conversation_id = ? AND at <= ? AND text != ?",
        ERASED, conversationId, upTo, ERASED);
    changed += update(c, "UPDATE inbound SET text = NULL, media_id = NULL WHERE conversation_id = ? AND received_at <= ?"
        + " AND state != 'pending' AND (text IS NOT NULL OR media_id IS NOT NULL)", conversationId, upTo);
    changed += update(c, "UPDATE outbox SET text = ?, last_error = NULL WHERE conversation_id = ? AND created_at <= ?"
        + " AND state != 'pending' AND text != ?", ERASED, conversationId, upTo, ERASED);
    return changed;
  }

  /**
   * Blanks one ticket's question, notes, history details, contact details and file names, and returns the stored
   * files' paths (relative to {@code dataDir/files}) for the caller to delete once this is committed. An erased
   * file's row stays as {@code expired} with the error {@code erased}.
   */
  static List<String> eraseTicket(Connection c, long ticketId) throws SQLException {
    List<String> stored = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT stored_path FROM ticket_files WHERE ticket_id = ? AND stored_path IS NOT NULL")) {
      st.setLong(1, ticketId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
    }
    update(c, "UPDATE ticket_files SET declared_name = NULL, stored_path = NULL, reference = ?, error = 'erased',"
        + " state = CASE WHEN state IN ('pending', 'stored') THEN 'expired' ELSE state END WHERE ticket_id = ?",
        NO_REFERENCE, ticketId);
    update(c, "UPDATE ticket_notes SET text = ? WHERE ticket_id = ?", ERASED, ticketId);
    update(c, "UPDATE ticket_history SET detail = NULL WHERE ticket_id = ?", ticketId);
    update(c, "UPDATE tickets SET question = ?, phone = NULL, enterprise = NULL, contact_state = 'purged'"
        + " WHERE id = ?", ERASED, ticketId);
    return stored;
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      return st.executeUpdate();
    }
  }
}
