package cn.legalkoi.chat.feishu;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Feishu channel end to end: signed, encrypted events into the real service, replies out to a fake Feishu. */
class FeishuWebhookTest {
  static final String TOKEN = "vt-verification-token";
  static final String ENCRYPT_KEY = "ek-encrypt-key";
  static final String ASKER = "ou_asker00000000000000000000000001";
  static final String GROUP = "oc_group0000000000000000000000001";
  static final String QUESTION = "员工没签书面劳动合同，老板要付二倍工资吗";

  @TempDir
  Path dir;
  Vertx vertx;
  FakeFeishu feishu;
  TestService service;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    feishu = FakeFeishu.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  /** The service with the Feishu app configured, with or without an Encrypt Key. */
  private void serve(String encryptKey) throws Exception {
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(dir), dir.resolve("data"))
        .put("channels", new JsonObject().put("feishu", new JsonObject().put("appId", FakeFeishu.APP_ID)
            .put("appSecret", FakeFeishu.APP_SECRET).put("verificationToken", TOKEN).put("encryptKey", encryptKey)
            .put("apiBase", feishu.url())));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
    // the bot's open_id is learnt at start-up; wait for it so later request counts are the test's own
    assertTrue(TestService.eventually(vertx, () -> feishu.botInfoRequests.get() >= 1));
  }

  private HttpResponse<Buffer> post(byte[] body, String... headers) throws Exception {
    HttpRequest<Buffer> request = service.client.post("/webhooks/feishu")
        .putHeader("Content-Type", "application/json; charset=utf-8");
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  /** Signs the raw bytes as Feishu does. */
  private HttpResponse<Buffer> postSigned(byte[] body) throws Exception {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String nonce = "n" + System.nanoTime();
    return post(body, "X-Lark-Request-Timestamp", timestamp, "X-Lark-Request-Nonce", nonce,
        "X-Lark-Signature", FeishuEvents.signature(timestamp, nonce, ENCRYPT_KEY, body));
  }

  private HttpResponse<Buffer> postEvent(JsonObject event) throws Exception {
    return postSigned(FeishuEvents.encrypted(event, ENCRYPT_KEY));
  }

  @Test
  @DisplayName("without an Encrypt Key, the challenge and events are taken on the verification token alone")
  void plainMode() throws Exception {
    serve("");
    HttpResponse<Buffer> ok = post(plain(FeishuEvents.challenge(TOKEN, "ch-plain-1")));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals(new JsonObject().put("challenge", "ch-plain-1"), ok.bodyAsJsonObject());
    HttpResponse<Buffer> wrong = post(plain(FeishuEvents.challenge("vt-guessed", "ch-plain-2")));
    assertEquals(401, wrong.statusCode());
    assertFalse(wrong.bodyAsString().contains("ch-plain-2"));

    assertEquals(401, post(plain(FeishuEvents.text("vt-guessed", "ev-plain-1", "p2p", "oc_p2pchat0", ASKER,
        "om_plain_1", QUESTION))).statusCode());
    assertEquals(400, post(FeishuEvents.encrypted(FeishuEvents.challenge(TOKEN, "ch"), ENCRYPT_KEY)).statusCode(),
        "an encrypted body while no Encrypt Key is configured");
    assertEquals(200, post(plain(FeishuEvents.text(TOKEN, "ev-plain-2", "p2p", "oc_p2pchat0", ASKER, "om_plain_2",
        QUESTION))).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    assertEquals(1, count("SELECT count(*) FROM inbound"));
    assertEquals("om_plain_2", feishu.replies().get(0).messageId());
  }

  private static byte[] plain(JsonObject event) {
    return event.encode().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("url_verification encrypted and unsigned, as Feishu sends it: decrypted, token checked, answered")
  void encryptedChallenge() throws Exception {
    serve(ENCRYPT_KEY);
    HttpResponse<Buffer> ok = post(FeishuEvents.encrypted(FeishuEvents.challenge(TOKEN, "ch-enc-1"), ENCRYPT_KEY));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    assertEquals("ch-enc-1", ok.bodyAsJsonObject().getString("challenge"));
    assertEquals(401, post(FeishuEvents.encrypted(FeishuEvents.challenge("vt-guessed", "ch-enc-2"), ENCRYPT_KEY))
        .statusCode());
    assertEquals(401, post(FeishuEvents.encrypted(FeishuEvents.challenge(TOKEN, "ch-enc-3"), "another key"))
        .statusCode());
  }

  @Test
  @DisplayName("without the app configured the webhook does not exist")
  void offWithoutCredentials() throws Exception {
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"),
        TestService.config(dir.resolve("kb"), dir.resolve("data")));
    assertEquals(404, post(plain(FeishuEvents.challenge(TOKEN, "c"))).statusCode());
    assertEquals(0, feishu.requests.get());
  }

  @Test
  @DisplayName("a one-to-one question gets exactly one reply to that message, with its legal basis")
  void oneToOneAnswered() throws Exception {
    serve(ENCRYPT_KEY);
    HttpResponse<Buffer> ack = postEvent(FeishuEvents.text(TOKEN, "ev-p2p-1", "p2p", "oc_p2pchat1", ASKER,
        "om_p2p_1", QUESTION));
    assertEquals(200, ack.statusCode(), ack.bodyAsString());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())), "the reply leaves the outbox");
    List<FakeFeishu.ReplyRequest> replies = feishu.replies();
    assertEquals(1, replies.size(), replies.toString());
    FakeFeishu.ReplyRequest reply = replies.get(0);
    assertEquals("om_p2p_1", reply.messageId());
    assertEquals("Bearer t-1", reply.authorization());
    assertEquals("text", reply.body().getString("msg_type"));
    assertTrue(reply.text().contains("《") && reply.text().contains("劳动合同法"), reply.text());
    assertTrue(reply.text().contains("https://koi.example.test/guidance/double-wages"), reply.text());
    assertFalse(reply.text().contains("<at"), "no mention one-to-one: " + reply.text());
    assertEquals(1, count("SELECT count(*) FROM outbox"));
    assertEquals(QUESTION, scalar("SELECT text FROM inbound WHERE message_id = 'ev-p2p-1'"));
    assertEquals(ASKER, scalar("SELECT conversation_key FROM conversations WHERE user_id = '" + ASKER + "'"));
  }

  @Test
  @DisplayName("in a group, a message that @-mentions the bot is answered in the group, mentioning the asker")
  void groupMentionAnswered() throws Exception {
    serve(ENCRYPT_KEY);
    HttpResponse<Buffer> ack = postEvent(FeishuEvents.text(TOKEN, "ev-group-1", "group", GROUP, ASKER, "om_group_1",
        "@_user_1 第一次违法能不能不罚款", FakeFeishu.BOT_OPEN_ID));
    assertEquals(200, ack.statusCode(), ack.bodyAsString());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    List<FakeFeishu.ReplyRequest> replies = feishu.replies();
    assertEquals(1, replies.size(), replies.toString());
    assertEquals("om_group_1", replies.get(0).messageId());
    assertTrue(replies.get(0).text().startsWith("<at user_id=\"" + ASKER + "\"></at> "), replies.get(0).text());
    assertEquals("第一次违法能不能不罚款", scalar("SELECT text FROM inbound WHERE message_id = 'ev-group-1'"),
        "the mention placeholder is not part of the question");
    assertEquals(GROUP, scalar("SELECT conversation_key FROM conversations WHERE user_id = '" + ASKER + "'"),
        "the conversation is the asker's in that group");
  }

  @Test
  @DisplayName("a rich-text (post) message is read for its words, links' text included and @-mentions and pictures"
      + " left out, and answered like text")
  void richTextAnswered() throws Exception {
    serve(ENCRYPT_KEY);
    JsonObject post = new JsonObject().put("title", "").put("content", new io.vertx.core.json.JsonArray()
        .add(new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("tag", "at").put("user_id", "@_user_1").put("user_name", "法治锦鲤"))
            .add(new JsonObject().put("tag", "text").put("text", "员工没签劳动合同").put("style",
                new io.vertx.core.json.JsonArray().add("bold"))))
        .add(new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("tag", "a").put("href", "https://example.com").put("text", "要付双倍工资吗"))
            .add(new JsonObject().put("tag", "img").put("image_key", "img_v2_0002"))));
    assertEquals(200, postEvent(FeishuEvents.message(TOKEN, "ev-post-1", "p2p", "oc_p2pchat6", ASKER, "om_post_1",
        "post", post.encode())).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    assertEquals("员工没签劳动合同 要付双倍工资吗", scalar("SELECT text FROM inbound WHERE message_id = 'ev-post-1'"));
    String reply = feishu.replies().get(0).text();
    assertTrue(reply.contains("https://koi.example.test/guidance/double-wages"), reply);
    assertFalse(reply.contains("只能看懂文字"), reply);
  }

  @Test
  @DisplayName("a picture gets the polite notice that only text is read; a bare @-mention gets an answer too")
  void pictureAndBareMention() throws Exception {
    serve(ENCRYPT_KEY);
    assertEquals(200, postEvent(FeishuEvents.message(TOKEN, "ev-image-1", "p2p", "oc_p2pchat5", ASKER, "om_image_1",
        "image", new JsonObject().put("image_key", "img_v2_0001").encode())).statusCode());
    assertEquals(200, postEvent(FeishuEvents.text(TOKEN, "ev-bare-1", "group", GROUP, ASKER, "om_bare_1",
        "@_user_1", FakeFeishu.BOT_OPEN_ID)).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent,sent".equals(outboxState())));
    List<FakeFeishu.ReplyRequest> replies = feishu.replies();
    assertEquals(2, replies.size(), replies.toString());
    FakeFeishu.ReplyRequest notice = replies.get(0).messageId().equals("om_image_1") ? replies.get(0) : replies.get(1);
    assertTrue(notice.text().contains("只能看懂文字"), notice.text());
    assertEquals("img_v2_0001", scalar("SELECT media_id FROM inbound WHERE message_id = 'ev-image-1'"),
        "the picture's key is kept for the adviser");
    assertEquals("", scalar("SELECT text FROM inbound WHERE message_id = 'ev-bare-1'"));
  }

  @Test
  @DisplayName("in a group, a message that does not mention the bot is acknowledged and left alone")
  void groupWithoutMention() throws Exception {
    serve(ENCRYPT_KEY);
    int before = feishu.requests.get();
    assertEquals(200, postEvent(FeishuEvents.text(TOKEN, "ev-group-2", "group", GROUP, ASKER, "om_group_2",
        "@_user_1 第一次违法能不能不罚款", "ou_colleague000000000000000000001")).statusCode());
    assertEquals(200, postEvent(FeishuEvents.text(TOKEN, "ev-group-3", "group", GROUP, ASKER, "om_group_3",
        QUESTION)).statusCode());
    assertEquals(0, count("SELECT count(*) FROM inbound"));
    assertEquals(before, feishu.requests.get(), "no call to Feishu");
  }

  @Test
  @DisplayName("Feishu's retry of an event (same event_id) gets no second answer")
  void redeliveryAnsweredOnce() throws Exception {
    serve(ENCRYPT_KEY);
    JsonObject event = FeishuEvents.text(TOKEN, "ev-retry-1", "p2p", "oc_p2pchat2", ASKER, "om_retry_1", QUESTION);
    assertEquals(200, postEvent(event).statusCode());
    assertEquals(200, postEvent(event).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    assertEquals(200, postEvent(event).statusCode(), "a retry after the answer is acknowledged too");
    assertEquals(1, count("SELECT count(*) FROM inbound"));
    assertEquals(1, count("SELECT count(*) FROM outbox"));
    assertEquals(1, feishu.replies().size(), feishu.replyAttempts.toString());
  }

  @Test
  @DisplayName("forged or broken requests get a 4xx, store nothing and call nothing")
  void forgedAndBrokenInput() throws Exception {
    serve(ENCRYPT_KEY);
    int before = feishu.requests.get();
    JsonObject event = FeishuEvents.text(TOKEN, "ev-forged-1", "p2p", "oc_p2pchat3", ASKER, "om_forged_1", QUESTION);
    byte[] body = FeishuEvents.encrypted(event, ENCRYPT_KEY);

    String timestamp = "1700000000";
    String otherBodySignature = FeishuEvents.signature(timestamp, "n1", ENCRYPT_KEY, "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(401, post(body, "X-Lark-Request-Timestamp", timestamp, "X-Lark-Request-Nonce", "n1",
        "X-Lark-Signature", otherBodySignature).statusCode(), "a signature over another body");
    assertEquals(401, post(body, "X-Lark-Request-Timestamp", timestamp, "X-Lark-Request-Nonce", "n1",
        "X-Lark-Signature", FeishuEvents.signature(timestamp, "n1", "guessed key", body)).statusCode(),
        "a signature under another key");
    assertEquals(401, post(body).statusCode(), "no signature at all");
    assertEquals(401, postEvent(FeishuEvents.text("vt-guessed", "ev-forged-2", "p2p", "oc_p2pchat3", ASKER,
        "om_forged_2", QUESTION)).statusCode(), "a wrong verification token, correctly signed");
    assertEquals(400, postSigned(Arrays.copyOf(body, body.length / 2)).statusCode(), "truncated JSON");
    assertEquals(400, postSigned(new byte[0]).statusCode(), "an empty body");
    assertEquals(401, post(new byte[0]).statusCode(), "an empty body, unsigned");
    String ciphertext = new JsonObject(new String(body, StandardCharsets.UTF_8)).getString("encrypt");
    assertEquals(400, postSigned(new JsonObject().put("encrypt", ciphertext.substring(0, 40)).encode()
        .getBytes(StandardCharsets.UTF_8)).statusCode(), "truncated ciphertext");
    assertEquals(400, postEvent(new JsonObject().put("schema", "2.0").put("header", new JsonObject()
        .put("event_id", "ev-forged-3").put("event_type", "im.message.receive_v1").put("token", TOKEN)))
        .statusCode(), "a message event without its message");
    byte[] huge = ("{\"encrypt\":\"" + "A".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertEquals(413, postSigned(huge).statusCode(), "a body over 64 KiB");

    assertEquals(0, count("SELECT count(*) FROM inbound"));
    assertEquals(0, count("SELECT count(*) FROM outbox"));
    assertEquals(before, feishu.requests.get(), "no call to Feishu");
  }

  @Test
  @DisplayName("a reply Feishu refuses with a non-zero code in an HTTP 200 is retried and delivered once")
  void failedReplyRetried() throws Exception {
    serve(ENCRYPT_KEY);
    feishu.failNextReplies(1);
    assertEquals(200, postEvent(FeishuEvents.text(TOKEN, "ev-flaky-1", "p2p", "oc_p2pchat4", ASKER, "om_flaky_1",
        QUESTION)).statusCode());
    assertTrue(TestService.eventually(vertx, () -> "sent".equals(outboxState())));
    assertEquals(2, feishu.replyAttempts.size(), feishu.replyAttempts.toString());
    assertFalse(feishu.replyAttempts.get(0).accepted());
    assertEquals(1, feishu.replies().size());
    assertEquals(feishu.replyAttempts.get(0).body().getString("uuid"), feishu.replies().get(0).body().getString("uuid"),
        "the retry carries the same de-duplication key");
    assertEquals(2, count("SELECT attempts FROM outbox"));
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
