package cn.legalkoi.datacare;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.ChatModule;
import cn.legalkoi.store.Store;
import cn.legalkoi.tickets.TicketsModule;
import cn.legalkoi.users.UserService;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention round on a real database with a clock the test moves: a ticket resolved more than
 * {@code closedTicketDays} ago loses its content but keeps what the 315 report counts and the message ids that stop
 * replays; a ticket resolved recently, or still open, keeps everything; old audit rows go, six months' stay.
 */
@ExtendWith(VertxExtension.class)
class RetentionTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long START = Instant.parse("2026-01-05T02:00:00Z").toEpochMilli();

  private final AtomicLong now = new AtomicLong(START);
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  @TempDir
  Path dir;
  Store store;
  Path files;
  Retention retention;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    store = Store.open(vertx, dir.resolve("db"), Stream.of(UserService.MIGRATIONS, ChatModule.migrations(),
        TicketsModule.migrations()).flatMap(List::stream).toList());
    files = dir.resolve("files");
    Files.createDirectories(files);
    retention = new Retention(vertx, store, clock, new DataCareSettings(365, 190, dir.resolve("backups")), files);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  /** An owner's conversation with one ticket opened now, their message, a bot reply, a note and a stored file. */
  private long ticket(String user, String status, long resolvedAt) throws Exception {
    long at = now.get();
    return await(store.run(c -> {
      exec(c, "INSERT INTO conversations (channel, user_id, conversation_key, reply_target, created_at, updated_at)"
          + " VALUES ('wecom', ?, ?, '{}', ?, ?)", user, user, at, at);
      long conversation = lastId(c);
      exec(c, "INSERT INTO inbound (channel, message_id, conversation_id, type, text, state, received_at)"
          + " VALUES ('wecom', ?, ?, 'text', '我的电话13812345678，公司被罚了', 'answered', ?)", user + "-m1",
          conversation, at);
      exec(c, "INSERT INTO transcript (conversation_id, author, kind, text, at) VALUES (?, 'owner', 'text',"
          + " '我的电话13812345678，公司被罚了', ?)", conversation, at);
      long line = lastId(c);
      exec(c, "INSERT INTO outbox (conversation_id, channel, text, state, next_attempt_at, created_at)"
          + " VALUES (?, 'wecom', '已为您转给顾问', 'sent', 0, ?)", conversation, at);
      exec(c, "INSERT INTO tickets (conversation_id, channel, user_id, status, question, reason, complexity,"
          + " department, phone, enterprise, opened_at, first_line_id, respond_due, final_due, respond_met_at,"
          + " final_met_at, resolved_at, rating, owner_wrote_at, updated_at) VALUES (?, 'wecom', ?, ?, '公司被罚了',"
          + " 'asked_for_person', 'simple', '市场监管', '13812345678', '锦鲤餐饮', ?, ?, ?, ?, ?, ?, ?, 5, ?, ?)",
          conversation, user, status, at, line, at + 1800_000, at + DAY, at + 600_000, resolvedAt, resolvedAt, at,
          at);
      long ticket = lastId(c);
      exec(c, "INSERT INTO ticket_notes (ticket_id, author, kind, text, at) VALUES (?, 'li.si', 'note',"
          + " '老板说明天补材料', ?)", ticket, at);
      exec(c, "INSERT INTO ticket_files (ticket_id, channel, message_id, reference, declared_type, declared_name,"
          + " state, next_attempt_at, stored_path, received_at, created_at) VALUES (?, 'wecom', ?,"
          + " '{\"mediaId\":\"m\"}', 'image', '营业执照.jpg', 'stored', 0, ?, ?, ?)", ticket, user + "-f1",
          user + "-file", at, at);
      return ticket;
    }));
  }

  @Test
  @DisplayName("a ticket resolved over a year ago loses its content and files; its counts and message ids stay")
  void erasesOldResolvedTickets() throws Exception {
    long old = ticket("old-owner", "resolved", START + DAY);
    long recent = ticket("recent-owner", "resolved", START + 300 * DAY);
    long open = ticket("open-owner", "open", 0);
    for (String user : List.of("old-owner", "recent-owner", "open-owner")) {
      Files.writeString(files.resolve(user + "-file"), "照片", StandardCharsets.UTF_8);
    }
    now.set(START + 365 * DAY);
    assertEquals(0, await(retention.run()).getInteger("tickets"), "a year to the day is not yet past");
    now.set(START + 367 * DAY);
    assertEquals(1, await(retention.run()).getInteger("tickets"));
    assertEquals(0, await(retention.run()).getInteger("tickets"), "erased once");

    assertEquals(List.of(OwnerContent.ERASED, "", "", "purged", "市场监管", "5"), ticketRow(old));
    assertEquals(List.of("公司被罚了", "13812345678", "锦鲤餐饮", "asked", "市场监管", "5"), ticketRow(recent));
    assertEquals("公司被罚了", ticketRow(open).get(0));
    assertEquals(List.of(OwnerContent.ERASED), column("SELECT text FROM transcript WHERE conversation_id ="
        + " (SELECT conversation_id FROM tickets WHERE id = " + old + ")"));
    assertEquals(List.of("old-owner-m1|"), column("SELECT message_id || '|' || ifnull(text, '') FROM inbound"
        + " WHERE message_id = 'old-owner-m1'"), "the id stays, the text goes");
    assertEquals(List.of(OwnerContent.ERASED), column("SELECT text FROM ticket_notes WHERE ticket_id = " + old));
    assertEquals(List.of("expired||erased"), column("SELECT state || '|' || ifnull(declared_name, '') || '|' || error"
        + " FROM ticket_files WHERE ticket_id = " + old));
    assertFalse(Files.exists(files.resolve("old-owner-file")));
    assertTrue(Files.exists(files.resolve("recent-owner-file")));
    assertTrue(Files.exists(files.resolve("open-owner-file")));
    assertEquals(2, column("SELECT text FROM transcript WHERE text LIKE '%13812345678%'").size(),
        "the other two owners' lines are untouched");
  }

  @Test
  @DisplayName("audit rows older than auditDays are deleted, younger ones stay; fewer than 183 days is refused")
  void auditLog() throws Exception {
    await(store.run(c -> {
      exec(c, "INSERT INTO audit_log (at, actor, action, target) VALUES (?, 'admin', 'old', 'x')", START);
      exec(c, "INSERT INTO audit_log (at, actor, action, target) VALUES (?, 'admin', 'young', 'x')",
          START + 100 * DAY);
      return null;
    }));
    now.set(START + 191 * DAY);
    assertEquals(1, await(retention.run()).getInteger("auditRows"));
    assertEquals(List.of("young"), column("SELECT action FROM audit_log"));
    assertThrows(IllegalArgumentException.class, () -> new DataCareSettings(365, 182, dir));
  }

  private List<String> ticketRow(long id) throws Exception {
    List<String> row = column("SELECT question || '|' || ifnull(phone, '') || '|' || ifnull(enterprise, '') || '|'"
        + " || contact_state || '|' || department || '|' || rating FROM tickets WHERE id = " + id);
    return List.of(row.get(0).split("\\|", -1));
  }

  private List<String> column(String sql) throws Exception {
    return await(store.run(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }));
  }

  private static void exec(java.sql.Connection c, String sql, Object... args) throws java.sql.SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    }
  }

  private static long lastId(java.sql.Connection c) throws java.sql.SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT last_insert_rowid()"); ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
