package cn.legalkoi.chat.dingtalk;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.LogCapture;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DingTalk robot end to end, both modes: the real service against a fake DingTalk on loopback. */
class DingTalkChannelTest {
  static final String STAFF = "manager4321";
  static final String GROUP = "cidGroup0000000001==";
  static final String QUESTION = "员工没签书面劳动合同，老板要付二倍工资吗";

  @TempDir
  Path dir;
  Vertx vertx;
  FakeDingTalk dingtalk;
  TestService service;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    dingtalk = FakeDingTalk.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  private void serve(String mode) throws Exception {
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(dir), dir.resolve("data"))
        .put("channels", new JsonObject().put("dingtalk", new JsonObject().put("mode", mode)
            .put("appKey", FakeDingTalk.APP_KEY).put("appSecret", FakeDingTalk.APP_SECRET)
            .put("robotCode", FakeDingTalk.ROBOT_CODE).put("apiBase", dingtalk.url())
            .put("sessionWebhookHosts", new JsonArray().add("127.0.0.1:" + dingtalk.port()))));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  /** A robot message as DingTalk sends it; {@code conversationType} "1" one-to-one, "2" group. */
  private JsonObject robotMessage(String msgId, String conversationType, String text, String sessionWebhook) {
    return new JsonObject().put("msgtype", "text").put("text", new JsonObject().put("content", " " + text))
        .put("msgId", msgId).put("createAt", System.currentTimeMillis())
        .put("conversationType", conversationType)
        .put("conversationId", "2".equals(conversationType) ? GROUP : "cidOneToOne0000001==")
        .put("senderId", "$:LWCP_v1:$senderid0001").put("senderStaffId", STAFF).put("senderNick", "张经理")
        .put("isInAtList", true).put("robotCode", FakeDingTalk.ROBOT_CODE)
        .put("sessionWebhook", sessionWebhook)
        .put("sessionWebhookExpiredTime", System.currentTimeMillis() + 90 * 60_000);
  }

  private static JsonObject callback(String frameId, JsonObject message) {
    return new JsonObject().put("specVersion", "1.0").put("type", "CALLBACK")
        .put("headers", new JsonObject().put("topic", DingTalkApi.BOT_TOPIC).put("messageId", frameId)
            .put("contentType", "application/json").put("time", Long.toString(System.currentTimeMillis())))
        .put("data", message.encode());
  }

  private static JsonObject system(String topic, String frameId, String data) {
    return new JsonObject().put("specVersion", "1.0").put("type", "SYSTEM")
        .put("headers", new JsonObject().put("topic", topic).put("messageId", frameId)
            .put("contentType", "application/json"))
        .put("data", data);
  }

  private JsonObject awaitAnswer(String frameId) throws Exception {
    assertTrue(TestService.eventually(vertx, () -> dingtalk.answerTo(frameId) != null),
        "frame " + frameId + " is answered");
    return dingtalk.answerTo(frameId);
  }

  private static String markdown(FakeDingTalk.Sent sent) {
    return sent.body().getJsonObject("markdown").getString("text");
  }

  @Test
  @DisplayName("stream: a robot message is acknowledged with its messageId once recorded, and answered once at its"
      + " session webhook; the same msgId again is acknowledged and gets no second reply")
  void streamAnswersOnce() throws Exception {
    serve("stream");
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 1), "the service opens the stream");
    assertEquals(1, dingtalk.connectionOpens.get());

    dingtalk.push(callback("frame-1", robotMessage("msg-stream-1", "2", QUESTION,
        dingtalk.sessionWebhook("s1"))));
    JsonObject ack = awaitAnswer("frame-1");
    assertEquals(200, ack.getInteger("code"));
    assertEquals("OK", ack.getString("message"));
    assertEquals("application/json", ack.getJsonObject("headers").getString("contentType"));
    assertEquals("{\"response\":null}", ack.getString("data"));
    assertEquals(1, count("SELECT count(*) FROM inbound WHERE message_id = 'msg-stream-1'"),
        "recorded by the time it is acknowledged");

    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())), "the reply leaves the outbox");
    List<FakeDingTalk.Sent> posts = dingtalk.acceptedWebhookPosts();
    assertEquals(1, posts.size(), posts.toString());
    assertEquals("/session/s1", posts.get(0).path());
    assertEquals("markdown", posts.get(0).body().getString("msgtype"));
    String text = markdown(posts.get(0));
    assertTrue(text.contains("《") && text.contains("劳动合同法"), text);
    assertTrue(text.startsWith("@" + STAFF + " "), "the asker is mentioned in the group: " + text);
    assertEquals(new JsonArray().add(STAFF), posts.get(0).body().getJsonObject("at").getJsonArray("atUserIds"));
    assertEquals(GROUP, scalar("SELECT conversation_key FROM conversations WHERE user_id = '" + STAFF + "'"),
        "a group conversation is keyed by the group");

    dingtalk.push(callback("frame-2", robotMessage("msg-stream-1", "2", QUESTION, dingtalk.sessionWebhook("s1"))));
    assertEquals(200, awaitAnswer("frame-2").getInteger("code"));
    assertEquals(1, count("SELECT count(*) FROM inbound"));
    assertEquals(1, count("SELECT count(*) FROM outbox"));
    assertEquals(1, dingtalk.webhookPosts.size());
    assertTrue(dingtalk.apiSends.isEmpty(), "nothing through the OpenAPI while the session webhook is valid");
  }

  @Test
  @DisplayName("stream: ping is answered with its opaque data; disconnect opens a new link with a fresh ticket, which"
      + " then carries messages")
  void streamPingAndDisconnect() throws Exception {
    serve("stream");
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 1));
    String opaque = new JsonObject().put("opaque", "op-7f3a-91").encode();
    dingtalk.push(system("ping", "ping-1", opaque));
    JsonObject pong = awaitAnswer("ping-1");
    assertEquals(200, pong.getInteger("code"));
    assertEquals(opaque, pong.getString("data"));

    dingtalk.push(system("disconnect", "bye-1", new JsonObject().put("reason", "server restart").encode()));
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 2), "a second link opens");
    assertEquals(2, dingtalk.connectionOpens.get(), "with a ticket of its own");

    dingtalk.push(callback("frame-after", robotMessage("msg-after-disconnect", "1", QUESTION,
        dingtalk.sessionWebhook("s2"))));
    assertEquals(200, awaitAnswer("frame-after").getInteger("code"));
    assertTrue(TestService.eventually(vertx, () -> dingtalk.acceptedWebhookPosts().size() == 1));
    FakeDingTalk.Sent post = dingtalk.acceptedWebhookPosts().get(0);
    assertFalse(post.body().containsKey("at"), "no mention one-to-one");
    assertFalse(markdown(post).startsWith("@"), markdown(post));

    await(dingtalk.sockets.get(0).close());
    dingtalk.push(callback("frame-later", robotMessage("msg-later", "1", QUESTION, dingtalk.sessionWebhook("s2"))));
    assertEquals(200, awaitAnswer("frame-later").getInteger("code"));
    assertEquals(2, dingtalk.connectionOpens.get(), "the retired link closing is no reason to dial again");
  }

  @Test
  @DisplayName("stream: a link the platform drops is opened again and later messages are answered")
  void streamReconnects() throws Exception {
    serve("stream");
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 1));
    assertTrue(TestService.eventually(vertx, () -> streamConnected()), "/health shows the link open");
    await(dingtalk.sockets.get(0).close());
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 2), "the service dials again");
    assertEquals(2, dingtalk.connectionOpens.get());
    dingtalk.push(callback("frame-r", robotMessage("msg-after-drop", "2", QUESTION, dingtalk.sessionWebhook("s3"))));
    assertEquals(200, awaitAnswer("frame-r").getInteger("code"));
    assertTrue(TestService.eventually(vertx, () -> dingtalk.acceptedWebhookPosts().size() == 1));
  }

  @Test
  @DisplayName("stream: a link cut before the acknowledgement arrives (the message recorded, or not yet) is opened"
      + " again with a fresh ticket, and the message DingTalk delivers again on it is acknowledged and answered once;"
      + " a link cut right after the acknowledgement loses nothing and doubles nothing")
  void streamCutMidMessage() throws Exception {
    serve("stream");
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 1));

    // (a) recorded, but the acknowledgement is lost with the link
    dingtalk.deafenNewest();
    JsonObject recorded = robotMessage("msg-cut-before-ack", "1", QUESTION, dingtalk.sessionWebhook("ca"));
    dingtalk.push(callback("frame-a", recorded));
    assertTrue(TestService.eventually(vertx,
        () -> count("SELECT count(*) FROM inbound WHERE message_id = 'msg-cut-before-ack'") == 1));
    await(dingtalk.sockets.get(0).close());
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 2), "the service dials again");
    assertEquals(2, dingtalk.connectionOpens.get(), "with a fresh ticket");
    assertTrue(dingtalk.answersTo("frame-a").isEmpty(), "DingTalk never saw the first acknowledgement");
    dingtalk.push(callback("frame-a", recorded));
    assertEquals(200, awaitAnswer("frame-a").getInteger("code"), "the redelivery is acknowledged");

    // (a') cut in the same moment the frame is sent: recorded or not, it comes again on the next link
    JsonObject unseen = robotMessage("msg-cut-at-once", "1", QUESTION, dingtalk.sessionWebhook("cn"));
    dingtalk.push(callback("frame-n", unseen));
    await(dingtalk.sockets.get(1).close());
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 3));
    int answersBefore = dingtalk.answersTo("frame-n").size();
    dingtalk.push(callback("frame-n", unseen));
    assertTrue(TestService.eventually(vertx, () -> dingtalk.answersTo("frame-n").size() == answersBefore + 1),
        "the redelivery is acknowledged on the new link");

    // (b) acknowledged, then the link is cut: DingTalk does not send it again
    dingtalk.cutAfterAnswerTo("frame-b");
    dingtalk.push(callback("frame-b", robotMessage("msg-cut-after-ack", "1", QUESTION,
        dingtalk.sessionWebhook("cb"))));
    assertEquals(200, awaitAnswer("frame-b").getInteger("code"));
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 4), "the service dials again");
    assertEquals(4, dingtalk.connectionOpens.get(), "each link with a ticket of its own");
    dingtalk.push(callback("frame-c", robotMessage("msg-after-cuts", "1", QUESTION, dingtalk.sessionWebhook("cc"))));
    assertEquals(200, awaitAnswer("frame-c").getInteger("code"));
    assertTrue(TestService.eventually(vertx, () -> streamConnected()), "/health shows the link open again");

    assertTrue(TestService.eventually(vertx, () -> "sent,sent,sent,sent".equals(outboxState())),
        "every message is answered: " + outboxState());
    assertEquals(4, count("SELECT count(*) FROM inbound"), "each message recorded once");
    for (String session : List.of("ca", "cn", "cb", "cc")) {
      assertEquals(1, dingtalk.acceptedWebhookPosts().stream().filter(p -> p.path().equals("/session/" + session))
          .count(), "one reply for the message of session " + session);
    }
    assertEquals(4, dingtalk.webhookPosts.size(), "no reply twice");
  }

  @Test
  @DisplayName("work no HTTP request started logs with an id of its own: a stream message as dingtalk-<frame>, a"
      + " reply's delivery as outbox-<row>")
  void backgroundLinesCarryAnId() throws Exception {
    serve("stream");
    assertTrue(TestService.eventually(vertx, () -> dingtalk.sockets.size() == 1));
    dingtalk.failNextWebhookPosts(1);
    try (LogCapture log = new LogCapture()) {
      JsonObject message = robotMessage("msg-logged", "1", QUESTION, dingtalk.sessionWebhook("lg"));
      dingtalk.push(callback("frame-log-1", message));
      awaitAnswer("frame-log-1");
      assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
      dingtalk.push(callback("frame-log-2", message));
      awaitAnswer("frame-log-2");
      JsonObject again = lineContaining(log, "delivered message msg-logged again");
      assertEquals("dingtalk-frame-log-2", again.getString("requestId"), again.encode());
      JsonObject failed = lineContaining(log, "not delivered (attempt 1)");
      assertEquals("outbox-1", failed.getString("requestId"), failed.encode());
      assertTrue(failed.getString("message").contains("130101") || failed.getString("message").contains("errcode"),
          failed.encode());
    }
  }

  private static JsonObject lineContaining(LogCapture log, String text) throws Exception {
    return java.util.Arrays.stream(log.text().split("\n")).filter(l -> l.startsWith("{") && l.contains(text))
        .map(JsonObject::new).findFirst().orElseThrow(() -> new AssertionError("no line with " + text));
  }

  private boolean streamConnected() throws Exception {
    JsonObject health = await(service.client.get("/health").send()).bodyAsJsonObject();
    JsonObject ding = health.getJsonObject("channels").getJsonObject("dingtalk");
    assertEquals("stream", ding.getString("mode"));
    return ding.getBoolean("connected");
  }

  @Test
  @DisplayName("stream mode has no webhook, and without credentials the channel is off: nothing dialled, 404")
  void offAndStreamWithoutWebhook() throws Exception {
    serve("stream");
    assertEquals(404, postSigned(robotMessage("m", "1", QUESTION, "")).statusCode());
    service.close();
    service = null;
    int opens = dingtalk.connectionOpens.get();
    Path other = dir.resolve("off");
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(other), other.resolve("data"),
        TestService.config(other.resolve("kb"), other.resolve("data")));
    assertEquals(404, postSigned(robotMessage("m", "1", QUESTION, "")).statusCode());
    assertEquals(opens, dingtalk.connectionOpens.get());
  }

  @Test
  @DisplayName("http: a correctly signed message gets exactly one reply at its session webhook")
  void httpAnswered() throws Exception {
    serve("http");
    HttpResponse<Buffer> ok = postSigned(robotMessage("msg-http-1", "1", QUESTION, dingtalk.sessionWebhook("h1")));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(200, postSigned(robotMessage("msg-http-1", "1", QUESTION, dingtalk.sessionWebhook("h1")))
        .statusCode(), "a redelivery is acknowledged");
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    assertEquals(1, dingtalk.webhookPosts.size());
    String text = markdown(dingtalk.webhookPosts.get(0));
    assertTrue(text.contains("《") && text.contains("劳动合同法"), text);
    assertEquals(STAFF, scalar("SELECT conversation_key FROM conversations WHERE user_id = '" + STAFF + "'"),
        "a one-to-one conversation is keyed by the sender");
    assertEquals(0, dingtalk.connectionOpens.get(), "http mode opens no stream");
  }

  @Test
  @DisplayName("http: forged, stale or broken callbacks get 401/400/413, store nothing and send nothing")
  void httpRefusesForgedInput() throws Exception {
    serve("http");
    int before = dingtalk.requests.get();
    byte[] body = robotMessage("msg-forged", "1", QUESTION, dingtalk.sessionWebhook("f")).encode()
        .getBytes(StandardCharsets.UTF_8);
    String now = Long.toString(System.currentTimeMillis());
    assertEquals(401, post(body, "timestamp", now, "sign", DingTalkSignature.sign("guessed secret", now))
        .statusCode(), "signed with another secret");
    String stale = Long.toString(System.currentTimeMillis() - 2 * 3600_000L);
    assertEquals(401, post(body, "timestamp", stale, "sign", DingTalkSignature.sign(FakeDingTalk.APP_SECRET, stale))
        .statusCode(), "signed two hours ago");
    assertEquals(401, post(body, "timestamp", now).statusCode(), "no sign");
    assertEquals(401, post(body).statusCode(), "no headers at all");
    assertEquals(400, postSigned("{\"msgtype\":\"text\"".getBytes(StandardCharsets.UTF_8)).statusCode(),
        "truncated JSON");
    assertEquals(400, postSigned(new JsonObject().put("msgtype", "text").put("msgId", "x").encode()
        .getBytes(StandardCharsets.UTF_8)).statusCode(), "no conversation or sender");
    byte[] huge = new JsonObject().put("msgtype", "text").put("pad", "啊".repeat(30_000)).encode()
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(413, postSigned(huge).statusCode(), "a body over 64 KiB");

    assertEquals(0, count("SELECT count(*) FROM inbound"));
    assertEquals(0, count("SELECT count(*) FROM outbox"));
    assertEquals(before, dingtalk.requests.get(), "nothing sent to DingTalk");
  }

  @Test
  @DisplayName("http: a session webhook on a host not in sessionWebhookHosts, or expired, is not called; the reply"
      + " goes through the OpenAPI with an access token")
  void untrustedWebhookUsesOpenApi() throws Exception {
    serve("http");
    String elsewhere = "http://localhost:" + dingtalk.port() + "/session/evil";
    assertEquals(200, postSigned(robotMessage("msg-api-1", "1", QUESTION, elsewhere)).statusCode());
    JsonObject expired = robotMessage("msg-api-2", "2", QUESTION, dingtalk.sessionWebhook("old"))
        .put("sessionWebhookExpiredTime", System.currentTimeMillis() - 1_000);
    assertEquals(200, postSigned(expired).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent,sent".equals(outboxState())));
    assertTrue(dingtalk.webhookPosts.isEmpty(), dingtalk.webhookPosts.toString());
    assertEquals(2, dingtalk.apiSends.size(), dingtalk.apiSends.toString());
    assertEquals(1, dingtalk.tokenRequests.get(), "one access token serves both sends");
    FakeDingTalk.Sent oneToOne = dingtalk.apiSends.stream()
        .filter(s -> s.path().equals(DingTalkSender.ONE_TO_ONE_PATH)).findFirst().orElseThrow();
    assertEquals("at-1", oneToOne.accessToken());
    assertEquals(FakeDingTalk.ROBOT_CODE, oneToOne.body().getString("robotCode"));
    assertEquals(new JsonArray().add(STAFF), oneToOne.body().getJsonArray("userIds"));
    assertEquals("sampleText", oneToOne.body().getString("msgKey"));
    String content = new JsonObject(oneToOne.body().getString("msgParam")).getString("content");
    assertTrue(content.contains("劳动合同法"), content);
    FakeDingTalk.Sent group = dingtalk.apiSends.stream()
        .filter(s -> s.path().equals(DingTalkSender.GROUP_PATH)).findFirst().orElseThrow();
    assertEquals(GROUP, group.body().getString("openConversationId"));
    String groupContent = new JsonObject(group.body().getString("msgParam")).getString("content");
    assertTrue(groupContent.startsWith("@张经理 ") && groupContent.contains("劳动合同法"),
        "in a group the reply names the asker: " + groupContent);
  }

  @Test
  @DisplayName("an access token DingTalk stops taking is fetched again and the send made once more")
  void refusedTokenRenewed() throws Exception {
    serve("http");
    assertEquals(200, postSigned(robotMessage("msg-tok-1", "2", QUESTION, "")).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    dingtalk.revokeTokens();
    assertEquals(200, postSigned(robotMessage("msg-tok-2", "2", "第一次违法能不能不罚款", "")).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent,sent".equals(outboxState())));
    assertEquals(2, dingtalk.tokenRequests.get());
    assertEquals(List.of(true, false, true), dingtalk.apiSends.stream().map(FakeDingTalk.Sent::accepted).toList());
    assertEquals("at-2", dingtalk.apiSends.get(2).accessToken());
    assertEquals(1, count("SELECT max(attempts) FROM outbox"), "renewed within one attempt");
  }

  @Test
  @DisplayName("a session webhook that answers 200 with a non-zero errcode has failed: retried, delivered once")
  void refusedWebhookPostRetried() throws Exception {
    serve("http");
    dingtalk.failNextWebhookPosts(1);
    assertEquals(200, postSigned(robotMessage("msg-flaky", "1", QUESTION, dingtalk.sessionWebhook("fl")))
        .statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    assertEquals(2, dingtalk.webhookPosts.size());
    assertEquals(1, dingtalk.acceptedWebhookPosts().size());
    assertEquals(2, count("SELECT attempts FROM outbox"));
  }

  private HttpResponse<Buffer> postSigned(JsonObject message) throws Exception {
    return postSigned(message.encode().getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<Buffer> postSigned(byte[] body) throws Exception {
    String timestamp = Long.toString(System.currentTimeMillis());
    return post(body, "timestamp", timestamp, "sign", DingTalkSignature.sign(FakeDingTalk.APP_SECRET, timestamp));
  }

  private HttpResponse<Buffer> post(byte[] body, String... headers) throws Exception {
    HttpRequest<Buffer> request = service.client.post("/webhooks/dingtalk")
        .putHeader("Content-Type", "application/json; charset=utf-8");
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  private String outboxState() throws Exception {
    return scalar("SELECT group_concat(state) FROM outbox");
  }

  private int count(String sql) throws Exception {
    return Integer.parseInt(scalar(sql));
  }

  private String scalar(String sql) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
