package cn.legalkoi.chat;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.store.Store;
import cn.legalkoi.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real SQLite file, with a platform that fails and recovers, and a clock the test moves. */
@ExtendWith(VertxExtension.class)
class OutboxTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  /** Fails its first {@code failures} sends, like a platform answering 200 with a non-zero errcode. */
  private static final class FlakyPlatform implements ChannelSender {
    final AtomicInteger failures;
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final List<String> targets = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();

    FlakyPlatform(int failures) {
      this.failures = new AtomicInteger(failures);
    }

    @Override
    public Future<Void> send(Outgoing message) {
      attempts.incrementAndGet();
      if (failures.getAndDecrement() > 0) {
        return Future.failedFuture("errcode 45009: api freq out of limit");
      }
      delivered.add(message.text());
      targets.add(message.target().getString("messageId", "") + " " + message.text());
      return Future.succeededFuture();
    }
  }

  @Test
  @DisplayName("a reply the platform refuses is retried with backoff, delivered once it recovers, and only once")
  void retriesUntilDelivered(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      FlakyPlatform platform = new FlakyPlatform(2);
      Outbox outbox = new Outbox(vertx, store, Map.of(Channel.WECOM, platform), clock);
      queue(store, "m1", "您好，这是回复。");

      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> platform.attempts.get() == 1 && state(store).equals("pending")));
      assertEquals(0, await(outbox.deliverDue()), "not due yet: the first retry waits a second");
      assertEquals(1, platform.attempts.get());
      now.addAndGet(1_000);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> platform.attempts.get() == 2 && state(store).equals("pending")));
      now.addAndGet(2_000);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> state(store).equals("sent")));
      now.addAndGet(60_000);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> platform.attempts.get() == 3));
      assertEquals(List.of("您好，这是回复。"), platform.delivered);
    }
  }

  @Test
  @DisplayName("what is pending when the process stops is delivered by the next one")
  void survivesRestart(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      queue(store, "m2", "重启后送达。");
    }
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      FlakyPlatform platform = new FlakyPlatform(0);
      new Outbox(vertx, store, Map.of(Channel.WECOM, platform), clock).kick();
      assertTrue(TestService.eventually(vertx, () -> state(store).equals("sent")));
      assertEquals(List.of("重启后送达。"), platform.delivered);
    }
  }

  @Test
  @DisplayName("after a day of failures a reply is kept as failed with the platform's reason, not dropped")
  void givesUpAfterADay(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      FlakyPlatform platform = new FlakyPlatform(Integer.MAX_VALUE);
      Outbox outbox = new Outbox(vertx, store, Map.of(Channel.WECOM, platform), clock);
      java.util.concurrent.atomic.AtomicInteger announced = new java.util.concurrent.atomic.AtomicInteger();
      vertx.eventBus().consumer(Outbox.GAVE_UP_ADDRESS, m -> announced.incrementAndGet());
      queue(store, "m3", "送不出去。");
      now.addAndGet(java.time.Duration.ofDays(1).toMillis() + 1);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> state(store).equals("failed")));
      String reason = await(store.run(c -> {
        try (var rs = c.createStatement().executeQuery("SELECT last_error FROM outbox")) {
          return rs.next() ? rs.getString(1) : "";
        }
      }));
      assertTrue(reason.contains("45009"), reason);
      assertTrue(TestService.eventually(vertx, () -> announced.get() == 1), "the consoles hear of it");
    }
  }

  @Test
  @DisplayName("a permanent failure is kept as failed at once with its reason, and not tried again")
  void permanentFailureIsNotRetried(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      AtomicInteger attempts = new AtomicInteger();
      ChannelSender closed = message -> {
        attempts.incrementAndGet();
        return Future.failedFuture(new ChannelSender.PermanentFailure("reply window closed"));
      };
      Outbox outbox = new Outbox(vertx, store, Map.of(Channel.WECOM, closed), clock);
      queue(store, "m6", "窗口外的回复。");
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> state(store).equals("failed")));
      now.addAndGet(java.time.Duration.ofHours(1).toMillis());
      queue(store, "m7", "下一条回复。");
      outbox.kick();
      // both would be sent in the same round, before either outcome is written
      assertTrue(TestService.eventually(vertx, () -> stateOf(store, "m7").equals("failed")));
      assertEquals(2, attempts.get(), "the failed reply was not tried again");
      String reason = await(store.run(c -> {
        try (var rs = c.createStatement().executeQuery(
            "SELECT attempts || '|' || last_error FROM outbox WHERE in_reply_to = 'm6'")) {
          return rs.next() ? rs.getString(1) : "";
        }
      }));
      assertEquals("1|reply window closed", reason);
    }
  }

  @Test
  @DisplayName("each reply goes to where its own message came from, not to the conversation's latest message")
  void eachReplyKeepsItsTarget(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      queue(store, "m4", "第一条的回复");
      queue(store, "m5", "第二条的回复");
      FlakyPlatform platform = new FlakyPlatform(0);
      new Outbox(vertx, store, Map.of(Channel.WECOM, platform), clock).kick();
      assertTrue(TestService.eventually(vertx, () -> platform.delivered.size() == 2));
      assertEquals(java.util.Set.of("m4 第一条的回复", "m5 第二条的回复"), java.util.Set.copyOf(platform.targets));
    }
  }

  @Test
  @DisplayName("an owner's replies leave one at a time and in order, while other owners' replies go alongside")
  void onePerConversationInFlight(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      Map<String, io.vertx.core.Promise<Void>> open = new java.util.concurrent.ConcurrentHashMap<>();
      List<String> started = new CopyOnWriteArrayList<>();
      ChannelSender slow = message -> {
        String id = message.target().getString("messageId");
        started.add(id);
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        open.put(id, done);
        return done.future();
      };
      queue(store, "zhangsan", "a1", "第一条");
      queue(store, "zhangsan", "a2", "第二条");
      queue(store, "lisi", "b1", "另一位");
      Outbox outbox = new Outbox(vertx, store, Map.of(Channel.WECOM, slow), clock);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> started.size() == 2));
      assertEquals(java.util.Set.of("a1", "b1"), java.util.Set.copyOf(started), "one per owner, the oldest");
      assertEquals(0, await(outbox.deliverDue()), "nothing else may go while both are in flight");
      open.get("a1").complete();
      assertTrue(TestService.eventually(vertx, () -> started.size() == 3));
      assertEquals("a2", started.get(2), "the next reply follows once the first is recorded as sent");
      assertEquals("sent", stateOf(store, "a1"));
      assertEquals("pending", stateOf(store, "b1"), "still in flight");
      open.get("b1").complete();
      open.get("a2").complete();
      assertTrue(TestService.eventually(vertx, () -> stateOf(store, "a2").equals("sent")
          && stateOf(store, "b1").equals("sent")));
      assertEquals(3, started.size(), "each reply was sent once");
    }
  }

  @Test
  @DisplayName("when an owner's earlier reply fails and waits for its retry, their later reply waits behind it:"
      + " the two arrive in the order they were written")
  void aRetriedReplyKeepsItsPlace(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      FlakyPlatform platform = new FlakyPlatform(1);
      queue(store, "part-1", "第一段。");
      queue(store, "part-2", "第二段。");
      Outbox outbox = new Outbox(vertx, store, Map.of(Channel.WECOM, platform), clock);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> platform.attempts.get() >= 1
          && count(store, "SELECT attempts FROM outbox WHERE in_reply_to = 'part-1'") == 1));
      await(outbox.deliverDue());
      assertEquals(List.of(), platform.delivered, "nothing overtakes the reply waiting for its retry");
      now.addAndGet(1_000);
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> platform.delivered.size() == 2));
      assertEquals(List.of("第一段。", "第二段。"), platform.delivered);
    }
  }

  @Test
  @DisplayName("one WeCom member is sent at most 30 replies a minute; the rest wait, are not failures, and arrive in"
      + " order once the minute has passed, while another member is not held back")
  void keepsToThePlatformsRateLimit(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db"), Conversations.migrations())) {
      FlakyPlatform platform = new FlakyPlatform(0);
      Outbox outbox = new Outbox(vertx, store, Map.of(Channel.WECOM, platform), clock);
      for (int i = 1; i <= 33; i++) {
        queue(store, "zhangsan", "burst-" + i, "回复" + i);
      }
      queue(store, "lisi", "other-1", "给另一位");
      outbox.kick();
      assertTrue(TestService.eventually(vertx, () -> platform.delivered.size() >= 31));
      for (int round = 0; round < 5; round++) {
        await(outbox.deliverDue());
      }
      assertTrue(TestService.eventually(vertx, () -> count(store, "SELECT count(*) FROM outbox WHERE state = 'sent'")
          == platform.delivered.size()));
      assertEquals(31, platform.delivered.size(), "30 to one member within the minute, 1 to the other");
      assertTrue(platform.delivered.contains("给另一位"));
      assertEquals(3, count(store, "SELECT count(*) FROM outbox WHERE state = 'pending' AND attempts = 0"),
          "held back, not failed");
      now.addAndGet(60_000);
      for (int round = 0; round < 5; round++) {
        await(outbox.deliverDue());
        assertTrue(TestService.eventually(vertx, () -> count(store, "SELECT count(*) FROM outbox WHERE state = 'pending'"
            + " AND attempts > 0") == 0));
      }
      assertTrue(TestService.eventually(vertx, () -> platform.delivered.size() == 34));
      List<String> toZhangsan = platform.delivered.stream().filter(t -> t.startsWith("回复")).toList();
      for (int i = 0; i < toZhangsan.size(); i++) {
        assertEquals("回复" + (i + 1), toZhangsan.get(i), "in order");
      }
    }
  }

  private static long count(Store store, String sql) throws Exception {
    return await(store.run(c -> {
      try (var rs = c.createStatement().executeQuery(sql)) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }));
  }

  private void queue(Store store, String messageId, String text) throws Exception {
    queue(store, "zhangsan", messageId, text);
  }

  private void queue(Store store, String user, String messageId, String text) throws Exception {
    InboundMessage in = new InboundMessage(Channel.WECOM, messageId, user, user, InboundMessage.TEXT,
        "问题", null, new JsonObject().put("toUser", user).put("messageId", messageId));
    await(store.run(c -> {
      long conversation = ChatStore.accept(c, in, now.get()).orElseThrow();
      ChatStore.recordOutcome(c, conversation, in, "answered", ChatStore.state(c, conversation),
          Optional.of(new Reply("answer", text, new JsonObject())), now.get());
      return null;
    }));
  }

  private static String state(Store store) throws Exception {
    return await(store.run(c -> {
      try (var rs = c.createStatement().executeQuery("SELECT state FROM outbox")) {
        return rs.next() ? rs.getString(1) : "";
      }
    }));
  }

  private static String stateOf(Store store, String inReplyTo) throws Exception {
    return await(store.run(c -> {
      try (var st = c.prepareStatement("SELECT state FROM outbox WHERE in_reply_to = ?")) {
        st.setString(1, inReplyTo);
        try (var rs = st.executeQuery()) {
          return rs.next() ? rs.getString(1) : "";
        }
      }
    }));
  }
}
