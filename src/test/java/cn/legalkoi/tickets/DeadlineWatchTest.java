package cn.legalkoi.tickets;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.ChatModule;
import cn.legalkoi.store.Store;
import cn.legalkoi.users.UserService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline watch on a real database with a clock the test moves: each breach recorded once per milestone against
 * the department holding the ticket when the deadline passed, each alert raised once, met milestones never breached.
 */
@ExtendWith(VertxExtension.class)
class DeadlineWatchTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** Monday 2026-11-30 10:00 in Shanghai: respond due 10:30, settle due Tuesday 17:30. */
  private static final long OPENED = ZonedDateTime.of(2026, 11, 30, 10, 0, 0, 0, SHANGHAI).toInstant().toEpochMilli();
  private static final long RESPOND_DUE = OPENED + 30 * 60_000;
  private static final long SETTLE_DUE = ZonedDateTime.of(2026, 12, 1, 17, 30, 0, 0, SHANGHAI).toInstant()
      .toEpochMilli();

  private final AtomicLong now = new AtomicLong(OPENED);
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

  private final List<String> alerts = new CopyOnWriteArrayList<>();
  private Store store;
  private DeadlineWatch watch;

  @BeforeEach
  void open(Vertx vertx, @TempDir Path dir) throws Exception {
    store = Store.open(vertx, dir.resolve("db"), Stream.of(UserService.MIGRATIONS, ChatModule.migrations(),
        TicketsModule.migrations()).flatMap(List::stream).toList());
    watch = new DeadlineWatch(vertx, store, clock,
        (ticket, kind, milestone, due) -> alerts.add(ticket.id() + " " + kind + " " + milestone), () -> { });
  }

  private long ticket(String department) throws Exception {
    return await(store.run(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO conversations (channel, user_id, conversation_key,"
          + " reply_target, created_at, updated_at) VALUES ('web', ?, ?, '{}', 0, 0)")) {
        String user = "owner-" + System.nanoTime();
        st.setString(1, user);
        st.setString(2, user);
        st.executeUpdate();
      }
      long conversation;
      try (PreparedStatement st = c.prepareStatement("SELECT max(id) FROM conversations");
          ResultSet rs = st.executeQuery()) {
        rs.next();
        conversation = rs.getLong(1);
      }
      long id = TicketStore.insert(c, new Ticket(0, conversation, Ticket.OPEN, "问题", "web", "u", Ticket.SIMPLE, null,
          "asked_for_person", department, null, null, null, "asked", OPENED, 1, RESPOND_DUE, SETTLE_DUE, 0, 0, 0, 0,
          OPENED, OPENED));
      TicketStore.history(c, id, OPENED, TicketStore.SYSTEM, "opened", new JsonObject().put("department", department));
      return id;
    }));
  }

  private List<String> breaches() throws Exception {
    return await(store.run(c -> {
      List<String> out = new java.util.ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
          "SELECT ticket_id, milestone, department FROM ticket_breaches ORDER BY ticket_id, milestone");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
      }
      return out;
    }));
  }

  @Test
  @DisplayName("a new ticket is announced once; respond is at risk ten minutes before, breached after, each once")
  void respondAtRiskThenBreachedOnce() throws Exception {
    long id = ticket("市场监管");
    await(watch.check());
    assertEquals(List.of(id + " new respond"), alerts);
    now.set(RESPOND_DUE - 11 * 60_000);
    await(watch.check());
    assertEquals(1, alerts.size(), "not yet at risk: " + alerts);
    now.set(RESPOND_DUE - 9 * 60_000);
    await(watch.check());
    await(watch.check());
    assertEquals(List.of(id + " new respond", id + " at_risk respond"), alerts);
    now.set(RESPOND_DUE + 1);
    assertEquals(1, await(watch.check()));
    assertEquals(0, await(watch.check()), "recorded once");
    assertEquals(List.of(id + " respond 市场监管"), breaches());
    assertEquals(id + " breached respond", alerts.get(alerts.size() - 1));
    assertEquals(3, alerts.size());
  }

  @Test
  @DisplayName("a breach counts against the department holding the ticket when the deadline passed, not where it is now")
  void breachFollowsTheDepartmentAtTheDeadline() throws Exception {
    long id = ticket("综合执法");
    await(store.run(c -> {
      TicketStore.history(c, id, OPENED + 60_000, "adviser", "transferred",
          new JsonObject().put("from", "综合执法").put("to", "市场监管"));
      TicketStore.update(c, id, OPENED + 60_000, "department = ?", "市场监管");
      return null;
    }));
    now.set(SETTLE_DUE + 1);
    await(watch.check());
    // transferred again after both deadlines passed: the breaches stay with 市场监管
    await(store.run(c -> {
      TicketStore.history(c, id, SETTLE_DUE + 2, "adviser", "transferred",
          new JsonObject().put("from", "市场监管").put("to", "生态环境"));
      TicketStore.update(c, id, SETTLE_DUE + 2, "department = ?", "生态环境");
      return null;
    }));
    now.set(SETTLE_DUE + 60_000);
    await(watch.check());
    assertEquals(List.of(id + " respond 市场监管", id + " settle 市场监管"), breaches());
  }

  @Test
  @DisplayName("a milestone met in time is never breached or alerted; one met late is recorded as breached")
  void metMilestones() throws Exception {
    long onTime = ticket("市场监管");
    long late = ticket("市场监管");
    await(store.run(c -> {
      TicketStore.update(c, onTime, RESPOND_DUE - 60_000, "respond_met_at = ?", RESPOND_DUE - 60_000);
      TicketStore.update(c, late, RESPOND_DUE + 60_000, "respond_met_at = ?", RESPOND_DUE + 60_000);
      return null;
    }));
    now.set(RESPOND_DUE + 120_000);
    await(watch.check());
    assertEquals(List.of(late + " respond 市场监管"), breaches());
    assertTrue(alerts.stream().noneMatch(a -> a.contains("at_risk") || a.contains("breached")),
        "a met milestone raises no alert: " + alerts);
  }

  @Test
  @DisplayName("when an owner's contact details are deleted after the retention period, the message in which they gave"
      + " them no longer shows them in the ticket's transcript; their other messages stay")
  void contactDetailsLeaveTheTranscriptToo() throws Exception {
    long resolved = ticket("市场监管");
    long conversation = await(store.run(c -> TicketStore.find(c, resolved).orElseThrow().conversationId()));
    await(store.run(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO transcript (conversation_id, author, kind, text, at)"
          + " VALUES (?, 'owner', 'text', ?, ?)")) {
        for (String text : new String[] {"我要找人工", "13800001111 某某科技有限公司"}) {
          st.setLong(1, conversation);
          st.setString(2, text);
          st.setLong(3, OPENED);
          st.executeUpdate();
        }
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO inbound (channel, message_id, conversation_id, type,"
          + " text, state, received_at) VALUES ('web', 'm-contact', ?, 'text', '13800001111 某某科技有限公司', 'answered', ?)")) {
        st.setLong(1, conversation);
        st.setLong(2, OPENED);
        st.executeUpdate();
      }
      TicketStore.update(c, resolved, OPENED, "phone = '13800001111', enterprise = '某某科技有限公司',"
          + " contact_state = 'given', status = 'resolved', resolved_at = ?", OPENED);
      return null;
    }));
    now.set(OPENED + java.time.Duration.ofDays(181).toMillis());
    assertEquals(1, await(new ContactPurge(store, clock, java.time.Duration.ofDays(180)).run()));
    List<String> left = await(store.run(c -> {
      List<String> out = new java.util.ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("SELECT * FROM (SELECT text FROM transcript"
          + " WHERE conversation_id = ? ORDER BY id) UNION ALL SELECT COALESCE(text, '') FROM inbound WHERE conversation_id = ?")) {
        st.setLong(1, conversation);
        st.setLong(2, conversation);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    }));
    assertEquals("我要找人工", left.get(0));
    assertTrue(left.stream().noneMatch(t -> t.contains("13800001111") || t.contains("某某科技")), left.toString());
  }

  @Test
  @DisplayName("an owner's phone and enterprise are deleted once the ticket has been resolved for the retention period,"
      + " not before, and not while it is open")
  void contactDetailsAreDeletedAfterRetention() throws Exception {
    long resolved = ticket("市场监管");
    long open = ticket("市场监管");
    await(store.run(c -> {
      TicketStore.update(c, resolved, OPENED, "phone = '13800001111', enterprise = '某公司', status = 'resolved',"
          + " resolved_at = ?", OPENED);
      TicketStore.update(c, open, OPENED, "phone = '13900002222', enterprise = '另一公司'");
      return null;
    }));
    ContactPurge purge = new ContactPurge(store, clock, java.time.Duration.ofDays(180));
    now.set(OPENED + java.time.Duration.ofDays(179).toMillis());
    assertEquals(0, await(purge.run()));
    now.set(OPENED + java.time.Duration.ofDays(181).toMillis());
    assertEquals(1, await(purge.run()));
    Ticket cleared = await(store.run(c -> TicketStore.find(c, resolved).orElseThrow()));
    Ticket kept = await(store.run(c -> TicketStore.find(c, open).orElseThrow()));
    assertEquals(null, cleared.phone());
    assertEquals(null, cleared.enterprise());
    assertEquals("13900002222", kept.phone());
  }
}
