package cn.legalkoi.datacare;

import cn.legalkoi.store.Store;
import cn.legalkoi.users.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An owner's rights over what the service holds about them (个人信息保护法第四十五条 查阅复制, 第四十七条 删除): an export
 * of everything kept under their platform user id, and erasure of its content by the {@link OwnerContent} rules.
 * Both are recorded in the audit log by target only, never with the content.
 */
public final class OwnerData {
  /** Times stored as epoch milliseconds, shown as ISO-8601 in the export. */
  private static final Set<String> TIMES = Set.of("at", "created_at", "updated_at", "received_at", "opened_at",
      "resolved_at", "respond_due", "final_due", "respond_met_at", "final_met_at", "rated_at", "owner_wrote_at",
      "sent_at", "fetched_at");

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final Path filesDir;

  public OwnerData(Vertx vertx, Store store, Clock clock, Path filesDir) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.filesDir = filesDir;
  }

  /** Everything held about the owner; {@code conversations} is empty when there is nothing. */
  public Future<JsonObject> export(String channel, String userId, String actor) {
    long now = clock.millis();
    return store.run(c -> {
      JsonArray conversations = new JsonArray();
      for (long id : conversationIds(c, channel, userId)) {
        JsonObject conversation = rows(c, "SELECT id, created_at, updated_at FROM conversations WHERE id = ?", id)
            .getJsonObject(0);
        conversation.put("transcript", rows(c, "SELECT id, author, kind, text, at FROM transcript"
            + " WHERE conversation_id = ? ORDER BY id", id));
        conversation.put("messages", rows(c, "SELECT message_id, type, text, state, received_at FROM inbound"
            + " WHERE conversation_id = ? ORDER BY received_at", id));
        conversation.put("replies", rows(c, "SELECT id, text, state, created_at, sent_at FROM outbox"
            + " WHERE conversation_id = ? ORDER BY id", id));
        conversation.put("feedback", rows(c, "SELECT doc_id, satisfied, at FROM feedback WHERE conversation_id = ?"
            + " ORDER BY id", id));
        JsonArray tickets = rows(c, "SELECT id, status, question, channel, complexity, category, department, phone,"
            + " enterprise, opened_at, resolved_at, rating, rated_at FROM tickets WHERE conversation_id = ?"
            + " ORDER BY id", id);
        for (Object o : tickets) {
          JsonObject ticket = (JsonObject) o;
          long ticketId = ticket.getLong("id");
          ticket.put("notes", rows(c, "SELECT author, kind, text, at FROM ticket_notes WHERE ticket_id = ?"
              + " ORDER BY id", ticketId));
          ticket.put("history", rows(c, "SELECT at, actor, action, detail FROM ticket_history WHERE ticket_id = ?"
              + " ORDER BY id", ticketId));
          ticket.put("files", rows(c, "SELECT id, declared_type, declared_name, content_type, size, sha256, state,"
              + " received_at FROM ticket_files WHERE ticket_id = ? ORDER BY id", ticketId));
        }
        conversation.put("tickets", tickets);
        conversations.add(conversation);
      }
      AuditLog.record(c, now, actor, "owner_exported", target(channel, userId), null);
      return new JsonObject().put("channel", channel).put("userId", userId)
          .put("exportedAt", Instant.ofEpochMilli(now).toString()).put("conversations", conversations);
    });
  }

  /**
   * Erases the content of all the owner's conversations and tickets and deletes their files; the counts, or
   * {@code conversations: 0} when nothing is held about them (and then nothing is recorded).
   */
  public Future<JsonObject> erase(String channel, String userId, String actor) {
    long now = clock.millis();
    return store.run(c -> {
      List<String> files = new ArrayList<>();
      List<Long> conversations = conversationIds(c, channel, userId);
      int tickets = 0;
      for (long id : conversations) {
        OwnerContent.eraseConversation(c, id, Long.MAX_VALUE);
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM tickets WHERE conversation_id = ?")) {
          st.setLong(1, id);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              files.addAll(OwnerContent.eraseTicket(c, rs.getLong(1)));
              tickets++;
            }
          }
        }
      }
      if (!conversations.isEmpty()) {
        AuditLog.record(c, now, actor, "owner_erased", target(channel, userId),
            "conversations=" + conversations.size() + " tickets=" + tickets + " files=" + files.size());
      }
      return new Erased(conversations.size(), tickets, files);
    }).compose(e -> StoredFiles.delete(vertx, filesDir, e.files()).map(deleted -> new JsonObject()
        .put("channel", channel).put("userId", userId).put("conversations", e.conversations())
        .put("tickets", e.tickets()).put("files", deleted)));
  }

  private record Erased(int conversations, int tickets, List<String> files) {
  }

  private static String target(String channel, String userId) {
    return "owner:" + channel + "/" + userId;
  }

  private static List<Long> conversationIds(Connection c, String channel, String userId) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT id FROM conversations WHERE channel = ? AND user_id = ? ORDER BY id")) {
      st.setString(1, channel);
      st.setString(2, userId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** The rows as JSON objects with camelCase keys; epoch-millisecond times as ISO-8601 (0 as null). */
  private static JsonArray rows(Connection c, String sql, long id) throws SQLException {
    JsonArray out = new JsonArray();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setLong(1, id);
      try (ResultSet rs = st.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          JsonObject row = new JsonObject();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            String column = meta.getColumnLabel(i);
            Object value = rs.getObject(i);
            if (TIMES.contains(column) && value instanceof Number n) {
              value = n.longValue() == 0 ? null : Instant.ofEpochMilli(n.longValue()).toString();
            }
            row.put(camel(column), value);
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  private static String camel(String column) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char ch : column.toCharArray()) {
      if (ch == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return out.toString();
  }
}
