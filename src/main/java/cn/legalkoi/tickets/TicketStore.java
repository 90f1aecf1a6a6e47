package cn.legalkoi.tickets;

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
 * The tickets module's tables and statements: tickets, their history (every change and adviser action, which is
 * also the audit trail), internal notes, breaches (one per milestone) and the alerts already sent. Blocking JDBC:
 * run through {@link cn.legalkoi.store.Store#run}.
 */
final class TicketStore {
  static final List<Migration> MIGRATIONS = List.of(Migration.of("tickets", 1,
      "CREATE TABLE tickets ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " conversation_id INTEGER NOT NULL REFERENCES conversations(id),"
          + " channel TEXT NOT NULL, user_id TEXT NOT NULL,"
          + " status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),"
          + " question TEXT NOT NULL, reason TEXT NOT NULL,"
          + " complexity TEXT NOT NULL CHECK (complexity IN ('simple', 'complex')),"
          + " category TEXT, department TEXT NOT NULL, assignee TEXT,"
          + " phone TEXT, enterprise TEXT, contact_state TEXT NOT NULL DEFAULT 'asked',"
          + " opened_at INTEGER NOT NULL, first_line_id INTEGER NOT NULL,"
          + " respond_due INTEGER NOT NULL, final_due INTEGER NOT NULL,"
          + " respond_met_at INTEGER NOT NULL DEFAULT 0, final_met_at INTEGER NOT NULL DEFAULT 0,"
          + " resolved_at INTEGER NOT NULL DEFAULT 0, rating INTEGER NOT NULL DEFAULT 0, rated_at INTEGER,"
          + " owner_wrote_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
      // a second escalation while one is open joins it
      "CREATE UNIQUE INDEX tickets_one_open ON tickets(conversation_id) WHERE status != 'resolved'",
      "CREATE INDEX tickets_queue ON tickets(status, department)",
      "CREATE TABLE ticket_history ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
          + " at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT)",
      "CREATE INDEX ticket_history_ticket ON ticket_history(ticket_id, id)",
      "CREATE TABLE ticket_notes ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
          + " author TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)",
      // a breach counts against the department holding the ticket when the deadline passed
      "CREATE TABLE ticket_breaches ("
          + " ticket_id INTEGER NOT NULL REFERENCES tickets(id), milestone TEXT NOT NULL,"
          + " due_at INTEGER NOT NULL, department TEXT NOT NULL, recorded_at INTEGER NOT NULL,"
          + " PRIMARY KEY (ticket_id, milestone))",
      "CREATE TABLE ticket_alerts ("
          + " ticket_id INTEGER NOT NULL REFERENCES tickets(id), kind TEXT NOT NULL, milestone TEXT NOT NULL,"
          + " at INTEGER NOT NULL, PRIMARY KEY (ticket_id, kind, milestone))",
      // an adviser's answer proposed as new guidance when resolving; an admin publishes or rejects it
      "CREATE TABLE guidance_proposals ("
          + " id INTEGER PRIMARY KEY AUTOINCREMENT, ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
          + " author TEXT NOT NULL, title TEXT NOT NULL, answer TEXT NOT NULL,"
          + " state TEXT NOT NULL CHECK (state IN ('proposed', 'published', 'rejected')),"
          + " doc_id TEXT, reviewed_by TEXT, created_at INTEGER NOT NULL, reviewed_at INTEGER)"),
      // the monthly 315 report reads tickets by opening time and breaches by deadline
      Migration.of("tickets", 2, "CREATE INDEX tickets_opened ON tickets(opened_at)",
          "CREATE INDEX ticket_breaches_due ON ticket_breaches(due_at)"),
      TicketFiles.SCHEMA);

  private static final String COLUMNS = "id, conversation_id, status, question, channel, user_id, complexity,"
      + " category, reason, department, assignee, phone, enterprise, contact_state, opened_at, first_line_id,"
      + " respond_due, final_due, respond_met_at, final_met_at, resolved_at, rating, owner_wrote_at, updated_at";

  private TicketStore() {
  }

  static long insert(Connection c, Ticket t) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO tickets (conversation_id, channel, user_id, status,"
        + " question, reason, complexity, category, department, opened_at, first_line_id, respond_due, final_due,"
        + " owner_wrote_at, updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        PreparedStatement.RETURN_GENERATED_KEYS)) {
      st.setLong(1, t.conversationId());
      st.setString(2, t.channel());
      st.setString(3, t.userId());
      st.setString(4, t.question());
      st.setString(5, t.reason());
      st.setString(6, t.complexity());
      st.setString(7, t.category());
      st.setString(8, t.department());
      st.setLong(9, t.openedAt());
      st.setLong(10, t.firstLineId());
      st.setLong(11, t.respondDue());
      st.setLong(12, t.finalDue());
      st.setLong(13, t.openedAt());
      st.setLong(14, t.openedAt());
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  static Optional<Ticket> find(Connection c, long id) throws SQLException {
    List<Ticket> found = select(c, "WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static Optional<Ticket> openFor(Connection c, long conversationId) throws SQLException {
    List<Ticket> found = select(c, "WHERE conversation_id = ? AND status != 'resolved'", conversationId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * Tickets by status (null: any) and department (null: any), among the departments {@code covered} (null: all),
   * nearest deadline first. The limit applies to what the reader may see, not before.
   */
  static List<Ticket> list(Connection c, String status, String department, List<String> covered, int limit)
      throws SQLException {
    if (covered != null && covered.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>();
    StringBuilder where = new StringBuilder("WHERE 1 = 1");
    if (covered != null) {
      where.append(" AND department IN (").append(String.join(", ", java.util.Collections.nCopies(covered.size(), "?")))
          .append(")");
      args.addAll(covered);
    }
    if (status != null) {
      where.append(" AND status = ?");
      args.add(status);
    }
    if (department != null) {
      where.append(" AND department = ?");
      args.add(department);
    }
    where.append(" ORDER BY CASE WHEN status = 'resolved' THEN 1 ELSE 0 END,"
        + " CASE WHEN respond_met_at = 0 AND respond_due < final_due THEN respond_due ELSE final_due END, id LIMIT ?");
    args.add(limit);
    return select(c, where.toString(), args.toArray());
  }

  /** Open tickets (not resolved) with a milestone not yet met: what the deadline watch looks at. */
  static List<Ticket> unresolved(Connection c) throws SQLException {
    return select(c, "WHERE status != 'resolved'");
  }

  static List<Ticket> select(Connection c, String where, Object... args) throws SQLException {
    List<Ticket> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM tickets " + where)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Ticket(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
              rs.getString(12), rs.getString(13), rs.getString(14), rs.getLong(15), rs.getLong(16), rs.getLong(17),
              rs.getLong(18), rs.getLong(19), rs.getLong(20), rs.getLong(21), rs.getInt(22), rs.getLong(23),
              rs.getLong(24)));
        }
      }
    }
    return out;
  }

  /** Sets columns of one ticket (names are this class's constants, never user input) and its update time. */
  static void update(Connection c, long id, long now, String assignments, Object... args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE tickets SET " + assignments + ", updated_at = ? WHERE id = ?")) {
      int i = 1;
      for (Object arg : args) {
        st.setObject(i++, arg);
      }
      st.setLong(i++, now);
      st.setLong(i, id);
      st.executeUpdate();
    }
  }

  /** One entry of the ticket's history, and of the audit log when a person did it. */
  static void history(Connection c, long ticketId, long now, String actor, String action, JsonObject detail)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO ticket_history (ticket_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)")) {
      st.setLong(1, ticketId);
      st.setLong(2, now);
      st.setString(3, actor);
      st.setString(4, action);
      st.setString(5, detail == null ? null : detail.encode());
      st.executeUpdate();
    }
    if (!SYSTEM.equals(actor)) {
      audit(c, now, actor, action, "ticket:" + ticketId, detail);
    }
  }

  /** The actor of what the service does by itself. */
  static final String SYSTEM = "system";

  static void audit(Connection c, long now, String actor, String action, String target, JsonObject detail)
      throws SQLException {
    cn.legalkoi.users.AuditLog.record(c, now, actor, action, target, detail == null ? null : detail.encode());
  }

  /** One history entry as the console shows it. */
  record HistoryEntry(long at, String actor, String action, JsonObject detail) {
  }

  static List<HistoryEntry> historyOf(Connection c, long ticketId) throws SQLException {
    List<HistoryEntry> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT at, actor, action, detail FROM ticket_history WHERE ticket_id = ? ORDER BY id")) {
      st.setLong(1, ticketId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getString(3),
              rs.getString(4) == null ? new JsonObject() : new JsonObject(rs.getString(4))));
        }
      }
    }
    return out;
  }

  /** When the ticket's history first records one of {@code actions}; 0 when it never does. */
  static long firstAction(Connection c, long ticketId, String... actions) throws SQLException {
    String marks = String.join(", ", java.util.Collections.nCopies(actions.length, "?"));
    try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MIN(at), 0) FROM ticket_history"
        + " WHERE ticket_id = ? AND action IN (" + marks + ")")) {
      st.setLong(1, ticketId);
      for (int i = 0; i < actions.length; i++) {
        st.setString(i + 2, actions[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** An internal note or a recorded phone call. */
  record Note(long id, String author, String kind, String text, long at) {
  }

  static void addNote(Connection c, long ticketId, String author, String kind, String text, long now)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO ticket_notes (ticket_id, author, kind, text, at) VALUES (?, ?, ?, ?, ?)")) {
      st.setLong(1, ticketId);
      st.setString(2, author);
      st.setString(3, kind);
      st.setString(4, text);
      st.setLong(5, now);
      st.executeUpdate();
    }
  }

  static List<Note> notesOf(Connection c, long ticketId) throws SQLException {
    List<Note> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT id, author, kind, text, at FROM ticket_notes WHERE ticket_id = ? ORDER BY id")) {
      st.setLong(1, ticketId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Note(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
        }
      }
    }
    return out;
  }

  /** Records a breach once per milestone; true when this call recorded it. */
  static boolean recordBreach(Connection c, long ticketId, String milestone, long dueAt, String department, long now)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO ticket_breaches (ticket_id, milestone,"
        + " due_at, department, recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      st.setLong(1, ticketId);
      st.setString(2, milestone);
      st.setLong(3, dueAt);
      st.setString(4, department);
      st.setLong(5, now);
      return st.executeUpdate() == 1;
    }
  }

  static List<String> breachesOf(Connection c, long ticketId) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "SELECT milestone FROM ticket_breaches WHERE ticket_id = ? ORDER BY recorded_at")) {
      st.setLong(1, ticketId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Marks an alert as sent; true the first time, so each alert goes out once. */
  static boolean markAlert(Connection c, long ticketId, String kind, String milestone, long now) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO ticket_alerts (ticket_id, kind, milestone, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      st.setLong(1, ticketId);
      st.setString(2, kind);
      st.setString(3, milestone);
      st.setLong(4, now);
      return st.executeUpdate() == 1;
    }
  }
}
