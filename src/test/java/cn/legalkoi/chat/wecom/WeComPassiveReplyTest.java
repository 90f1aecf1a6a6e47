package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.SafeXml;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeCom's passive reply end to end: an answer ready within the budget comes back in the callback's response,
 * encrypted and signed as WeCom's 加解密方案 specifies, and is never also sent through {@code message/send}.
 */
class WeComPassiveReplyTest {
  private static final String TOKEN = WeComChannelTest.TOKEN;
  private static final String CORP_ID = WeComChannelTest.CORP_ID;

  @TempDir
  Path dir;
  Vertx vertx;
  FakeWeCom wecom;
  TestService service;
  final WeComCrypto asWeCom = new WeComCrypto(TOKEN, WeComChannelTest.AES_KEY, CORP_ID);
  final SafeXml xml = new SafeXml(SafeXml.DEFAULT_MAX_BYTES);
  final Random random = new Random(11);
  int nonces;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    Fixtures.copyKnowledgeBase(dir);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (wecom != null) {
      wecom.close();
    }
    await(vertx.close());
  }

  /** The service with WeCom on; {@code passiveReplyMillis} absent means the default. */
  private void startService(Integer passiveReplyMillis) throws Exception {
    wecom = FakeWeCom.start(vertx, CORP_ID, WeComChannelTest.SECRET);
    JsonObject wecomConfig = new JsonObject().put("token", TOKEN).put("encodingAesKey", WeComChannelTest.AES_KEY)
        .put("corpId", CORP_ID).put("agentId", WeComChannelTest.AGENT_ID).put("secret", WeComChannelTest.SECRET)
        .put("apiBase", wecom.apiBase());
    if (passiveReplyMillis != null) {
      wecomConfig.put("passiveReplyMillis", passiveReplyMillis);
    }
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("channels", new JsonObject().put("wecom", wecomConfig));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  /** A text callback from {@code from}, freshly encrypted and signed (a new nonce each time). */
  private WeComChannelTest.Callback callback(String from, String msgId, String content) {
    String encrypt = asWeCom.encrypt(WeComChannelTest.text(from, msgId, content), WeComCrypto.randomPrefix(random));
    String timestamp = "1700000000";
    String nonce = "passive" + (++nonces);
    return new WeComChannelTest.Callback(Map.of("msg_signature",
        WeComCrypto.signature(TOKEN, timestamp, nonce, encrypt), "timestamp", timestamp, "nonce", nonce),
        "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
            + "]]></Encrypt><AgentID><![CDATA[" + WeComChannelTest.AGENT_ID + "]]></AgentID></xml>");
  }

  private HttpResponse<Buffer> deliver(WeComChannelTest.Callback callback) throws Exception {
    var request = service.client.post("/webhooks/wecom").putHeader("Content-Type", "text/xml");
    callback.query().forEach(request::addQueryParam);
    HttpResponse<Buffer> r = await(request.sendBuffer(Buffer.buffer(callback.body())));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r;
  }

  /**
   * The passive reply in a response, read as WeCom reads it: the outer XML, its signature checked with the token
   * over its own timestamp and nonce, the decrypted message (addressed by the CorpID), and that message's fields.
   */
  private Map<String, String> passiveReply(HttpResponse<Buffer> r) {
    assertTrue(r.getHeader("Content-Type").startsWith("text/xml"), r.getHeader("Content-Type"));
    Map<String, String> outer = xml.parseFlat(r.bodyAsString());
    assertEquals(List.of("Encrypt", "MsgSignature", "TimeStamp", "Nonce"), new ArrayList<>(outer.keySet()));
    assertTrue(asWeCom.verify(outer.get("MsgSignature"), outer.get("TimeStamp"), outer.get("Nonce"),
        outer.get("Encrypt")), "the signature verifies with the token");
    assertTrue(!new WeComCrypto("anotherToken", WeComChannelTest.AES_KEY, CORP_ID).verify(outer.get("MsgSignature"),
        outer.get("TimeStamp"), outer.get("Nonce"), outer.get("Encrypt")), "and only with the token");
    return xml.parseFlat(asWeCom.decryptVerified(outer.get("MsgSignature"), outer.get("TimeStamp"),
        outer.get("Nonce"), outer.get("Encrypt")));
  }

  @Test
  @DisplayName("by default an answer comes back as the encrypted, signed passive reply, and nothing is sent actively")
  void answersInTheResponse() throws Exception {
    startService(null);
    Map<String, String> reply = passiveReply(deliver(callback("zhangsan", "7500000000000000001",
        WeComChannelTest.QUESTION)));
    assertEquals("zhangsan", reply.get("ToUserName"));
    assertEquals(CORP_ID, reply.get("FromUserName"));
    assertEquals("text", reply.get("MsgType"));
    assertTrue(reply.get("CreateTime").matches("[0-9]{10}"), reply.get("CreateTime"));
    String content = reply.get("Content");
    assertTrue(content.contains("《") && content.contains("https://koi.example.test/guidance/double-wages"), content);
    // recorded as sent in the response: the outbox, which sends only pending replies, has nothing to send
    assertEquals(List.of("sent|1|0|" + content), outbox());
    assertEquals(List.of("owner", "bot"), authors());
    assertEquals(0, wecom.attempts.size(), "no message/send: " + wecom.attempts);
  }

  @Test
  @DisplayName("a redelivered MsgId gets the same stored passive reply again; it is answered and recorded once")
  void redeliveryGetsTheStoredReply() throws Exception {
    startService(null);
    WeComChannelTest.Callback question = callback("zhangsan", "7500000000000000002", WeComChannelTest.QUESTION);
    String first = passiveReply(deliver(question)).get("Content");
    HttpResponse<Buffer> again = deliver(question);
    HttpResponse<Buffer> reencrypted = deliver(callback("zhangsan", "7500000000000000002", "另一个问题"));
    assertEquals(first, passiveReply(again).get("Content"));
    assertEquals(first, passiveReply(reencrypted).get("Content"));
    assertTrue(!again.bodyAsString().equals(reencrypted.bodyAsString()), "each response freshly encrypted");
    // a different message from the same owner is a new question, answered in its own response
    Map<String, String> next = passiveReply(deliver(callback("zhangsan", "7500000000000000003", "帮助")));
    assertTrue(!next.get("Content").equals(first), next.get("Content"));
    assertEquals(2, outbox().size(), "one reply for each message: " + outbox());
    assertEquals(List.of("owner", "bot", "owner", "bot"), authors());
    assertEquals(0, wecom.attempts.size(), "nothing sent actively: " + wecom.attempts);
  }

  @Test
  @DisplayName("a redelivery while the first delivery still waits for its answer gets the same passive reply")
  void redeliveryDuringTheAnswer() throws Exception {
    startService(null);
    // recording the outcome takes a while (well under the 2 s budget): the redelivery arrives before it is done
    execute("CREATE TABLE filler (n INTEGER)");
    execute("INSERT INTO filler VALUES " + "(1),".repeat(39) + "(1)");
    execute("CREATE TRIGGER slow_outcome BEFORE UPDATE OF state ON inbound BEGIN"
        + " SELECT count(*) FROM filler a, filler b, filler c, filler d; END");
    // both deliveries at once: whichever is recorded second arrives while the other's answer is being recorded
    List<io.vertx.core.Future<HttpResponse<Buffer>>> deliveries = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      WeComChannelTest.Callback question = callback("sunqi", "7500000000000000030", WeComChannelTest.QUESTION);
      var request = service.client.post("/webhooks/wecom").putHeader("Content-Type", "text/xml");
      question.query().forEach(request::addQueryParam);
      deliveries.add(request.sendBuffer(Buffer.buffer(question.body())));
    }
    String reply = passiveReply(await(deliveries.get(0))).get("Content");
    assertTrue(reply.contains("https://koi.example.test/guidance/double-wages"), reply);
    assertEquals(reply, passiveReply(await(deliveries.get(1))).get("Content"));
    assertEquals(List.of("sent|1|0|" + reply), outbox());
    assertEquals(0, wecom.attempts.size(), "nothing sent actively: " + wecom.attempts);
  }

  @Test
  @DisplayName("an answer not ready within the budget is acknowledged empty and sent once through message/send")
  void lateAnswerIsSentActively() throws Exception {
    startService(1);
    // recording the outcome takes far longer than the 1 ms budget: the acknowledgement cannot wait for it
    execute("CREATE TABLE filler (n INTEGER)");
    execute("INSERT INTO filler VALUES " + "(1),".repeat(59) + "(1)");
    execute("CREATE TRIGGER slow_outcome BEFORE UPDATE OF state ON inbound BEGIN"
        + " SELECT count(*) FROM filler a, filler b, filler c, filler d; END");
    WeComChannelTest.Callback question = callback("lisi", "7500000000000000010", WeComChannelTest.QUESTION);
    HttpResponse<Buffer> r = deliver(question);
    assertEquals(0, r.body() == null ? 0 : r.body().length(), "an empty acknowledgement");
    assertTrue(TestService.eventually(vertx, () -> wecom.deliveredTo("lisi").size() == 1), "sent actively");
    String content = wecom.deliveredTo("lisi").get(0).body().getJsonObject("text").getString("content");
    assertTrue(content.contains("https://koi.example.test/guidance/double-wages"), content);
    assertTrue(TestService.eventually(vertx, () -> outbox().equals(List.of("sent|0|1|" + content))), "" + outbox());

    HttpResponse<Buffer> redelivered = deliver(question);
    assertEquals(0, redelivered.body() == null ? 0 : redelivered.body().length(),
        "a redelivery of an actively answered message gets an empty acknowledgement");
    // another owner's late answer, sent after the redelivery: by then a second send to lisi would have shown up
    deliver(callback("wangwu", "7500000000000000011", WeComChannelTest.QUESTION));
    assertTrue(TestService.eventually(vertx, () -> wecom.deliveredTo("wangwu").size() == 1), "the marker was sent");
    assertEquals(1, wecom.deliveredTo("lisi").size(), "sent once: " + wecom.attempts);
    assertEquals(2, outbox().size());
  }

  @Test
  @DisplayName("the ticket's opening and the acknowledgement of a picture sent to it both come back in the response")
  void ticketRepliesInTheResponse() throws Exception {
    startService(null);
    String opened = passiveReply(deliver(callback("zhaoliu", "7500000000000000020", "我要找人工"))).get("Content");
    assertTrue(opened.contains("工单"), opened);
    wecom.media.put("media-passive-1", new FakeWeCom.Media(WeComMediaTicketTest.jpeg(3_000), "image/jpeg", false));
    String encrypt = asWeCom.encrypt("<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName>"
        + "<![CDATA[zhaoliu]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType>"
        + "<PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl><MediaId><![CDATA[media-passive-1]]></MediaId>"
        + "<MsgId>7500000000000000021</MsgId><AgentID>" + WeComChannelTest.AGENT_ID + "</AgentID></xml>",
        WeComCrypto.randomPrefix(random));
    HttpResponse<Buffer> picture = deliver(new WeComChannelTest.Callback(Map.of("msg_signature",
        WeComCrypto.signature(TOKEN, "1700000000", "picture1", encrypt), "timestamp", "1700000000", "nonce",
        "picture1"), "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
            + "]]></Encrypt><AgentID><![CDATA[" + WeComChannelTest.AGENT_ID + "]]></AgentID></xml>"));
    String acknowledged = passiveReply(picture).get("Content");
    assertTrue(acknowledged.contains("已收到") && acknowledged.contains("工单"), acknowledged);
    assertEquals(List.of("sent|1|0|" + opened, "sent|1|0|" + acknowledged), outbox());
    assertEquals(0, wecom.attempts.size(), "nothing sent actively: " + wecom.attempts);
  }

  /** Each outbox row as state|passive|attempts|text, oldest first. */
  private List<String> outbox() throws Exception {
    return rows("SELECT state || '|' || passive || '|' || attempts || '|' || text FROM outbox ORDER BY id");
  }

  private List<String> authors() throws Exception {
    return rows("SELECT author FROM transcript ORDER BY id");
  }

  private List<String> rows(String sql) throws Exception {
    try (Connection c = database(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  private void execute(String sql) throws Exception {
    try (Connection c = database(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private Connection database() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=5000");
    }
    return c;
  }
}
