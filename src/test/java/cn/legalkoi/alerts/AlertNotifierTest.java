package cn.legalkoi.alerts;

import static cn.legalkoi.testing.TestService.await;
import static cn.legalkoi.testing.TestService.eventually;
import cn.legalkoi.testing.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The notifier against fake DingTalk and WeCom group robots on loopback, with a clock the test moves. */
@ExtendWith(VertxExtension.class)
class AlertNotifierTest {
  static final String BASE = "https://koi.example.cn";
  static final OffsetDateTime RESPOND_BY = OffsetDateTime.of(2026, 3, 2, 10, 30, 0, 0, ZoneOffset.ofHours(8));
  /** Fast retries, the platforms' 20 a minute, and a short look at the clock while held back. */
  static final AlertNotifier.Options FAST = new AlertNotifier.Options(Duration.ofMillis(500), 4,
      Duration.ofMillis(30), Duration.ofMillis(200), 20, Duration.ofMinutes(1), 3, Duration.ofMillis(20));

  final MovableClock clock = new MovableClock(Instant.parse("2026-03-02T02:00:00Z"));
  Vertx vertx;
  WebClient client;
  FakeGroupRobots robots;
  AlertNotifier notifier;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    robots = FakeGroupRobots.start(vertx);
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    client.close();
  }

  private AlertNotifier notifier(AlertNotifier.Options options, AlertSettings.Webhook... webhooks) {
    notifier = new AlertNotifier(vertx, client, new AlertSettings(List.of(webhooks)), clock, options);
    return notifier;
  }

  private AlertSettings.Webhook dingTalk(String secret) {
    return new AlertSettings.Webhook(AlertSettings.Platform.DINGTALK, robots.dingTalkUrl(), secret);
  }

  private AlertSettings.Webhook weCom() {
    return new AlertSettings.Webhook(AlertSettings.Platform.WECOM, robots.weComUrl(), "");
  }

  private static TicketAlert newTicket(long number) {
    return TicketAlert.newTicket(number, "食品安全", "市场监管组", RESPOND_BY, BASE);
  }

  /** Completes after {@code millis} of real time: lets timers run without blocking a thread. */
  private Future<Void> pause(long millis) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(millis, id -> done.complete());
    return done.future();
  }

  @Test
  @DisplayName("a new ticket reaches a signed DingTalk robot as Markdown with number, category, department, deadline"
      + " and console link, and nothing of the owner's")
  void signedDingTalkAlert() throws Exception {
    // the ticket as the owner opened it: none of this may reach the group
    String question = "我的小饭馆被顾客投诉卖过期食品，市场监管局要罚我五万，怎么办";
    String ownerName = "王小明";
    String ownerPhone = "13812345678";
    TicketAlert alert = newTicket(1024);

    await(notifier(FAST, dingTalk(FakeGroupRobots.DING_SECRET)).send(alert));

    assertEquals(1, robots.posts.size());
    FakeGroupRobots.Post post = robots.accepted().get(0);
    assertEquals(Long.toString(clock.millis()), post.timestamp());
    assertEquals(FakeGroupRobots.expectedSign(post.timestamp(), FakeGroupRobots.DING_SECRET), post.sign());
    JsonObject expected = new JsonObject().put("msgtype", "markdown").put("markdown", new JsonObject()
        .put("title", "新工单 #1024")
        .put("text", "#### 新工单 #1024\n"
            + "- 类别：食品安全\n"
            + "- 部门：市场监管组\n"
            + "- 响应时限：2026-03-02 10:30\n\n"
            + "[在控制台打开工单 #1024](https://koi.example.cn/console#/tickets/1024)"));
    assertEquals(expected, post.body(), "only the alert's own fields, nothing else");
    String sent = post.body().encode();
    for (String ownerData : List.of(question, "过期食品", ownerName, ownerPhone)) {
      assertFalse(sent.contains(ownerData), ownerData);
    }
  }

  @Test
  @DisplayName("a WeCom group robot gets markdown.content at its key's address, unsigned, alongside the DingTalk one")
  void weComAndDingTalkAlert() throws Exception {
    TicketAlert alert = TicketAlert.breached(77, null, "劳动人事组", TicketAlert.Milestone.SETTLE, RESPOND_BY, BASE);

    await(notifier(FAST, dingTalk(FakeGroupRobots.DING_SECRET), weCom()).send(alert));

    assertEquals(Set.of("dingtalk", "wecom"), robots.accepted().stream().map(FakeGroupRobots.Post::platform)
        .collect(Collectors.toSet()));
    FakeGroupRobots.Post wecom = robots.accepted().stream().filter(p -> p.platform().equals("wecom")).findFirst()
        .orElseThrow();
    assertEquals(null, wecom.sign());
    assertEquals(new JsonObject().put("msgtype", "markdown").put("markdown", new JsonObject()
        .put("content", "#### 已超时 #77\n"
            + "- 类别：未分类\n"
            + "- 部门：劳动人事组\n"
            + "- 办结时限：2026-03-02 10:30（已过）\n\n"
            + "[在控制台打开工单 #77](https://koi.example.cn/console#/tickets/77)")), wecom.body());
  }

  @Test
  @DisplayName("an errcode other than 0 inside an HTTP 200 is a failure: the alert is posted again and delivered once")
  void errcodeIsRetried() throws Exception {
    robots.errors.add(130101);
    robots.errors.add(130101);

    await(notifier(FAST, weCom()).send(newTicket(5)));

    assertEquals(3, robots.posts.size());
    assertEquals(List.of(false, false, true), robots.posts.stream().map(FakeGroupRobots.Post::accepted).toList());
    assertEquals(1, robots.accepted().size());
  }

  @Test
  @DisplayName("a robot that keeps refusing is given up after the last attempt, logged without token, secret or sign,"
      + " and the caller's future still succeeds")
  void givesUpAndLogsSafely() throws Exception {
    for (int i = 0; i < FAST.maxAttempts(); i++) {
      robots.errors.add(310000);
    }
    try (LogCapture log = new LogCapture()) {
      await(notifier(FAST, dingTalk(FakeGroupRobots.DING_SECRET)).send(newTicket(9)));
      assertEquals(FAST.maxAttempts(), robots.posts.size());
      assertEquals(List.of(), robots.accepted());
      assertTrue(log.text().contains("Gave up ticket alert(s) #9 after 4 attempts"), log.text());
      assertNoSecrets(log.text());
    }
  }

  @Test
  @DisplayName("25 alerts at once: 20 messages in the first minute, the other 5 in one digest once the minute is over")
  void burstIsCoalescedIntoADigest() throws Exception {
    notifier(FAST, dingTalk(FakeGroupRobots.DING_SECRET));
    List<Future<Void>> sends = new ArrayList<>();
    IntStream.rangeClosed(1, 25).forEach(n -> sends.add(notifier.send(newTicket(n))));

    assertTrue(eventually(vertx, () -> robots.posts.size() == 20));
    await(pause(300)); // fifteen looks at the clock while it stands still
    assertEquals(20, robots.posts.size(), "nothing more within the minute");
    assertEquals(IntStream.rangeClosed(1, 20).mapToObj(n -> "新工单 #" + n).collect(Collectors.toSet()),
        robots.accepted().stream().map(p -> p.body().getJsonObject("markdown").getString("title"))
            .collect(Collectors.toSet()));

    clock.advance(Duration.ofSeconds(59));
    await(pause(100));
    assertEquals(20, robots.posts.size(), "still within the minute");
    clock.advance(Duration.ofSeconds(1));
    await(Future.all(sends));

    assertEquals(21, robots.posts.size());
    JsonObject digest = robots.posts.get(20).body().getJsonObject("markdown");
    assertEquals("另有 5 条工单提醒", digest.getString("title"));
    String text = digest.getString("text");
    assertTrue(text.contains("另有 5 条工单提醒，请到控制台查看"), text);
    assertTrue(text.contains("#21（新工单）、#22（新工单）、#23（新工单）、#24（新工单）、#25（新工单）"), text);
    assertTrue(text.contains("(https://koi.example.cn/console)"), text);
  }

  @Test
  @DisplayName("a robot that is down gets the alert once it is back, and the log of the outage shows no credentials")
  void deliversAfterRecovery() throws Exception {
    AlertNotifier.Options patient = new AlertNotifier.Options(Duration.ofMillis(500), 30, Duration.ofMillis(30),
        Duration.ofMillis(100), 20, Duration.ofMinutes(1), 3, Duration.ofMillis(20));
    notifier(patient, dingTalk(FakeGroupRobots.DING_SECRET));
    try (LogCapture log = new LogCapture()) {
      robots.down();
      Future<Void> sent = notifier.send(newTicket(31));
      assertTrue(eventually(vertx, () -> log.text().contains("Ticket alert(s) #31 not delivered")));
      assertEquals(List.of(), robots.posts);
      robots.up();
      await(sent);
      assertEquals(1, robots.accepted().size());
      assertEquals("新工单 #31", robots.accepted().get(0).body().getJsonObject("markdown").getString("title"));
      assertNoSecrets(log.text());
    }
  }

  @Test
  @DisplayName("a robot that does not answer fails each post at the timeout, and the timeout's message is logged"
      + " without the access_token, sign or secret")
  void timeoutIsLoggedSafely() throws Exception {
    robots.silent = true;
    AlertNotifier.Options quick = new AlertNotifier.Options(Duration.ofMillis(150), 2, Duration.ofMillis(20),
        Duration.ofMillis(20), 20, Duration.ofMinutes(1), 3, Duration.ofMillis(20));
    try (LogCapture log = new LogCapture()) {
      await(notifier(quick, dingTalk(FakeGroupRobots.DING_SECRET)).send(newTicket(12)));
      String text = log.text();
      assertTrue(text.contains("Gave up ticket alert(s) #12"), text);
      assertTrue(text.contains("/robot/send?access_token=***"), text);
      assertNoSecrets(text);
    }
  }

  @Test
  @DisplayName("a robot that keeps refusing does not hold back the other one; closing gives up what it still retries")
  void robotsAreIndependent() throws Exception {
    AlertNotifier.Options patient = new AlertNotifier.Options(Duration.ofMillis(500), 1000, Duration.ofMillis(50),
        Duration.ofMillis(50), 20, Duration.ofMinutes(1), 3, Duration.ofMillis(20));
    AlertSettings.Webhook wrongSecret = dingTalk("SECnot-the-robots-secret");
    Future<Void> sent = notifier(patient, wrongSecret, weCom()).send(newTicket(3));

    assertTrue(eventually(vertx, () -> robots.accepted().size() == 1
        && robots.posts.stream().filter(p -> p.platform().equals("dingtalk")).count() >= 2));
    assertEquals("wecom", robots.accepted().get(0).platform());
    assertFalse(sent.isComplete(), "DingTalk is still being retried");
    notifier.close();
    await(sent);
    assertEquals(1, robots.accepted().size());
  }

  @Test
  @DisplayName("without webhooks, sending does nothing and succeeds at once")
  void noWebhooks() throws Exception {
    AlertNotifier none = new AlertNotifier(vertx, client, AlertSettings.none(), clock);
    assertFalse(none.isEnabled());
    await(none.send(newTicket(1)));
    assertEquals(List.of(), robots.posts);
  }

  private static void assertNoSecrets(String log) {
    assertFalse(log.contains(FakeGroupRobots.ACCESS_TOKEN), "access_token in the log");
    assertFalse(log.contains(FakeGroupRobots.DING_SECRET), "secret in the log");
    assertFalse(log.contains(FakeGroupRobots.WECOM_KEY), "key in the log");
    assertFalse(log.matches("(?s).*sign=[^*].*"), "a sign in the log");
  }
}
