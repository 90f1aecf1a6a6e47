package cn.legalkoi.chat;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.store.Store;
import cn.legalkoi.testing.PostgresCluster;
import cn.legalkoi.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes, in this JVM, each with its own store over one PostgreSQL database: what they share and split. */
@ExtendWith(VertxExtension.class)
class PostgresNodesTest {
  @TempDir
  Path dir;
  Store first;
  Store second;
  /** The second node's own Vert.x, as a second process would have. */
  Vertx other;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    JsonObject json = new JsonObject().put("dataDir", dir.toString())
        .put("database", PostgresCluster.shared().newDatabaseConfig());
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    // started together, as two nodes behind one address are: the migrations are applied once
    Future<Store> a = vertx.executeBlocking(() -> Store.open(vertx, config, ChatModule.migrations()), false);
    other = Vertx.vertx();
    Future<Store> b = vertx.executeBlocking(() -> Store.open(other, config, ChatModule.migrations()), false);
    first = await(a);
    second = await(b);
  }

  @AfterEach
  void close() throws Exception {
    first.close();
    second.close();
    await(other.close());
  }

  @Test
  @DisplayName("nodes starting together apply each migration once, and only one of them creates the schema")
  void migrationsOnce() throws Exception {
    assertTrue(first.wasCreated() ^ second.wasCreated(), "exactly one node created the schema");
    long recorded = await(first.run(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT count(*) - count(DISTINCT module || version)"
          + " FROM schema_migrations")) {
        rs.next();
        return rs.getLong(1);
      }
    }));
    assertEquals(0, recorded, "no migration recorded twice");
  }

  @Test
  @DisplayName("two nodes' outboxes sharing the queue send each reply exactly once, each conversation's in order")
  void outboxClaimedOnce(Vertx vertx) throws Exception {
    int conversations = 40;
    int perConversation = 5;
    await(first.run(c -> {
      long now = System.currentTimeMillis();
      for (int i = 0; i < conversations; i++) {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO conversations (channel, user_id,"
            + " conversation_key, reply_target, created_at, updated_at) VALUES ('feishu', ?, ?, '{}', ?, ?)")) {
          st.setString(1, "ou_" + i);
          st.setString(2, "ou_" + i);
          st.setLong(3, now);
          st.setLong(4, now);
          st.executeUpdate();
        }
      }
      for (int n = 0; n < perConversation; n++) {
        for (int i = 1; i <= conversations; i++) {
          try (PreparedStatement st = c.prepareStatement("INSERT INTO outbox (conversation_id, channel, text,"
              + " in_reply_to, state, next_attempt_at, created_at) VALUES (?, 'feishu', ?, ?, 'pending', ?, ?)")) {
            st.setLong(1, i);
            st.setString(2, "第" + n + "条回复");
            st.setString(3, "m-" + i + "-" + n);
            st.setLong(4, now);
            st.setLong(5, now);
            st.executeUpdate();
          }
        }
      }
      return null;
    }));
    Map<Long, Integer> sends = new ConcurrentHashMap<>();
    Map<Long, List<Long>> order = new ConcurrentHashMap<>();
    ChannelSender platform = message -> {
      sends.merge(message.id(), 1, Integer::sum);
      order.computeIfAbsent(message.conversationId(), k -> new CopyOnWriteArrayList<>()).add(message.id());
      return Future.succeededFuture();
    };
    Outbox a = new Outbox(vertx, first, Map.of(Channel.FEISHU, platform), Clock.systemUTC());
    Outbox b = new Outbox(other, second, Map.of(Channel.FEISHU, platform), Clock.systemUTC());
    a.start();
    b.start();
    try {
      int total = conversations * perConversation;
      assertTrue(eventuallyWithin(vertx, 60, () -> count(first, "SELECT count(*) FROM outbox WHERE state = 'sent'")
          == total), "every reply sent");
      assertEquals(total, sends.size());
      assertEquals(List.of(), sends.entrySet().stream().filter(e -> e.getValue() != 1).toList(),
          "no reply sent twice");
      for (List<Long> ids : order.values()) {
        List<Long> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids, "a conversation's replies leave in order");
      }
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  @DisplayName("a lease is held by one node at a time; when its holder lets go or stops renewing, another takes it")
  void leaseHeldByOne(Vertx vertx) throws Exception {
    assertTrue(await(first.leases().hold("deadline-watch", Duration.ofMinutes(1))));
    assertFalse(await(second.leases().hold("deadline-watch", Duration.ofMinutes(1))), "the other node is refused");
    await(first.leases().release("deadline-watch"));
    assertTrue(await(second.leases().hold("deadline-watch", Duration.ofMillis(300))), "taken once let go");
    assertFalse(await(first.leases().hold("deadline-watch", Duration.ofMinutes(1))));
    assertTrue(TestService.eventually(vertx, () -> await(first.leases().hold("deadline-watch",
        Duration.ofMinutes(1)))), "taken over once the holder stops renewing");
    assertFalse(await(second.leases().hold("deadline-watch", Duration.ofMinutes(1))));
  }

  @Test
  @DisplayName("a signal sent by one node reaches the handlers of every node, its own included, once")
  void signalsCrossNodes(Vertx vertx) throws Exception {
    List<String> heardByFirst = new CopyOnWriteArrayList<>();
    List<String> heardBySecond = new CopyOnWriteArrayList<>();
    await(first.signals().subscribe("ticket_changes", heardByFirst::add));
    await(second.signals().subscribe("ticket_changes", heardBySecond::add));
    await(first.signals().publish("ticket_changes", "42"));
    assertTrue(TestService.eventually(vertx, () -> heardByFirst.size() == 1 && heardBySecond.size() == 1));
    assertEquals(List.of("42"), heardBySecond);
    assertEquals(List.of("42"), heardByFirst);
  }

  private static long count(Store store, String sql) throws Exception {
    return await(store.run(c -> {
      try (var rs = c.createStatement().executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    }));
  }

  private static boolean eventuallyWithin(Vertx vertx, int seconds, java.util.concurrent.Callable<Boolean> condition)
      throws Exception {
    io.vertx.core.Promise<Boolean> done = io.vertx.core.Promise.promise();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
    long timer = vertx.setPeriodic(100, t -> vertx.executeBlocking(condition::call, false).onComplete(r -> {
      if (r.succeeded() && Boolean.TRUE.equals(r.result())) {
        done.tryComplete(true);
      } else if (System.nanoTime() > deadline) {
        done.tryComplete(false);
      }
    }));
    try {
      return done.future().toCompletionStage().toCompletableFuture().get(seconds + 10L, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      vertx.cancelTimer(timer);
    }
  }
}
