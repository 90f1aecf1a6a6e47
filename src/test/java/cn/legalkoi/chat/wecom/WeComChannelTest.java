package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WeCom self-built app channel end to end: callbacks encrypted and signed the way WeCom does it, the real
 * service, and a fake WeCom API on loopback that the replies must reach.
 */
class WeComChannelTest {
  static final String TOKEN = "koiTestToken";
  static final String AES_KEY = "wq30bOULgOqxZBbv7/a2MhY+/Jft5zPnUqosc0R9WjU";
  static final String CORP_ID = "wwkoitest0001";
  static final int AGENT_ID = 1000002;
  static final String SECRET = "koi-test-secret-not-for-logs";
  static final String QUESTION = "员工没签书面劳动合同，老板要付二倍工资吗";

  @TempDir
  Path dir;
  Vertx vertx;
  FakeWeCom wecom;
  TestService service;
  final WeComCrypto asWeCom = new WeComCrypto(TOKEN, AES_KEY, CORP_ID);
  final Random random = new Random(7);
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

  private void startService(String token, String aesKey, String corpId, int agentId, String secret) throws Exception {
    wecom = FakeWeCom.start(vertx, corpId, secret);
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("channels", new JsonObject().put("wecom", new JsonObject().put("token", token)
            .put("encodingAesKey", aesKey).put("corpId", corpId).put("agentId", agentId).put("secret", secret)
            .put("apiBase", wecom.apiBase())
            // these tests follow the replies WeCom's API receives: the reply is sent, not given in the response
            .put("passiveReplyMillis", 0)));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  private void startService() throws Exception {
    startService(TOKEN, AES_KEY, CORP_ID, AGENT_ID, SECRET);
  }

  /** The decrypted message of a text callback, as WeCom writes it. */
  static String text(String from, String msgId, String content) {
    return "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[" + from
        + "]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        + "<Content><![CDATA[" + content + "]]></Content><MsgId>" + msgId + "</MsgId><AgentID>" + AGENT_ID
        + "</AgentID></xml>";
  }

  /** A signed callback: the query WeCom sends and its body. */
  record Callback(Map<String, String> query, String body) {
    Callback withQuery(String name, String value) {
      Map<String, String> changed = new LinkedHashMap<>(query);
      if (value == null) {
        changed.remove(name);
      } else {
        changed.put(name, value);
      }
      return new Callback(changed, body);
    }

    Callback withBody(String other) {
      return new Callback(query, other);
    }
  }

  /** Encrypts {@code message} with {@code crypto}, signs the ciphertext with the test's token, and wraps it. */
  Callback callback(WeComCrypto crypto, String message) {
    String encrypt = crypto.encrypt(message, WeComCrypto.randomPrefix(random));
    String timestamp = "1700000000";
    String nonce = "nonce" + (++nonces);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("msg_signature", WeComCrypto.signature(TOKEN, timestamp, nonce, encrypt));
    query.put("timestamp", timestamp);
    query.put("nonce", nonce);
    return new Callback(query, "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA["
        + encrypt + "]]></Encrypt><AgentID><![CDATA[" + AGENT_ID + "]]></AgentID></xml>");
  }

  Callback callback(String message) {
    return callback(asWeCom, message);
  }

  HttpResponse<Buffer> deliver(Callback callback) throws Exception {
    var request = service.client.post("/webhooks/wecom").putHeader("Content-Type", "text/xml");
    callback.query().forEach(request::addQueryParam);
    return await(request.sendBuffer(Buffer.buffer(callback.body())));
  }

  /** Delivers a callback that must be acknowledged as WeCom expects: HTTP 200 and an empty body. */
  void acknowledged(Callback callback) throws Exception {
    HttpResponse<Buffer> r = deliver(callback);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.body() == null ? 0 : r.body().length(), "an empty acknowledgement");
  }

  /** A message from someone else, and the wait for its answer: what happened before it has happened. */
  void marker(String user) throws Exception {
    acknowledged(callback(text(user, "9" + (100 + nonces), "你好")));
    assertTrue(TestService.eventually(vertx, () -> wecom.deliveredTo(user).size() == 1), "the marker was answered");
  }

  @Test
  @DisplayName("a text question gets exactly one answer with its legal basis, and a redelivery gets nothing new")
  void answersOnce() throws Exception {
    startService();
    Callback question = callback(text("zhangsan", "7300000000000000001", QUESTION));
    acknowledged(question);
    assertTrue(TestService.eventually(vertx, () -> wecom.delivered.size() == 1), "the answer reached WeCom");
    JsonObject sent = wecom.delivered.get(0).body();
    assertEquals("zhangsan", sent.getString("touser"));
    assertEquals(AGENT_ID, sent.getInteger("agentid"));
    assertEquals("text", sent.getString("msgtype"));
    String content = sent.getJsonObject("text").getString("content");
    assertTrue(content.contains("《") && content.contains("https://koi.example.test/guidance/double-wages"), content);

    acknowledged(question);
    acknowledged(callback(text("zhangsan", "7300000000000000001", QUESTION)));
    marker("lisi");
    assertEquals(1, wecom.deliveredTo("zhangsan").size(), "one answer however often WeCom delivers");
    assertEquals(2, inboundRows());
    assertEquals(1, wecom.tokensIssued.get(), "the access token is kept between sends");
  }

  @Test
  @DisplayName("forged and broken callbacks get 401, 400 or 413, store nothing and send nothing")
  void refusesForgedAndBrokenInput() throws Exception {
    startService();
    Callback good = callback(text("mallory", "7300000000000000002", QUESTION));
    String doctype = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
    Map<String, Callback> cases = new LinkedHashMap<>();
    cases.put("a wrong signature", good.withQuery("msg_signature", "0".repeat(40)));
    cases.put("no signature", good.withQuery("msg_signature", null));
    cases.put("a signature over another timestamp", good.withQuery("timestamp", "1700000001"));
    cases.put("a message for another CorpID",
        callback(new WeComCrypto(TOKEN, AES_KEY, "wwsomeoneelse"), text("mallory", "7300000000000000003", "hi")));
    cases.put("truncated outer XML", good.withBody(good.body().substring(0, good.body().length() / 2)));
    cases.put("truncated inner XML", callback(text("mallory", "7300000000000000004", "hi").substring(0, 120)));
    cases.put("an outer DOCTYPE with an external entity",
        good.withBody(doctype + good.body().replace("<AgentID>", "<AgentID>&xxe;")));
    cases.put("an inner DOCTYPE with an external entity", callback(doctype
        + text("mallory", "7300000000000000005", "&xxe;")));
    cases.put("no Encrypt element", good.withBody("<xml><ToUserName>" + CORP_ID + "</ToUserName></xml>"));
    cases.put("a message without MsgId", callback(text("mallory", "", "hi")));
    cases.put("a body over 64 KiB", good.withBody(good.body().replace("</xml>",
        "<Padding>" + "x".repeat(65 * 1024) + "</Padding></xml>")));
    Map<String, Integer> expected = Map.of("a wrong signature", 401, "no signature", 401,
        "a signature over another timestamp", 401, "a body over 64 KiB", 413);

    for (Map.Entry<String, Callback> c : cases.entrySet()) {
      HttpResponse<Buffer> r = deliver(c.getValue());
      assertEquals(expected.getOrDefault(c.getKey(), 400), r.statusCode(), c.getKey() + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().containsKey("error"), c.getKey());
    }
    HttpResponse<Buffer> verify = await(service.client.get("/webhooks/wecom?msg_signature=" + "0".repeat(40)
        + "&timestamp=1&nonce=1&echostr=abc").send());
    assertEquals(401, verify.statusCode());

    marker("lisi");
    assertEquals(1, wecom.attempts.size(), "only the marker was sent: " + wecom.attempts);
    assertEquals(1, inboundRows(), "only the marker was stored");
  }

  @Test
  @DisplayName("an expired token on the first send (42001) is refreshed and the answer delivered once")
  void refreshesTheToken() throws Exception {
    startService();
    wecom.sendErrors.add(42001);
    acknowledged(callback(text("zhangsan", "7300000000000000010", QUESTION)));
    assertTrue(TestService.eventually(vertx, () -> wecom.delivered.size() == 1));
    assertEquals(2, wecom.attempts.size());
    assertEquals(2, wecom.tokensIssued.get());
    assertEquals("token-2", wecom.delivered.get(0).accessToken());
    assertTrue(TestService.eventually(vertx, () -> outbox().equals(List.of("sent|1|"))), "marked sent: " + outbox());
  }

  @Test
  @DisplayName("WeCom's rate limit (45009 inside an HTTP 200) is a failure: the reply is retried and delivered once")
  void retriesAfterRateLimit() throws Exception {
    startService();
    wecom.sendErrors.add(45009);
    wecom.sendErrors.add(45009);
    acknowledged(callback(text("zhangsan", "7300000000000000011", QUESTION)));
    assertTrue(TestService.eventually(vertx, () -> outbox().equals(List.of("pending|1|WeCom message/send errcode"
        + " 45009: api freq out of limit")) || outbox().equals(List.of("pending|2|WeCom message/send errcode 45009:"
        + " api freq out of limit"))), "the failure is recorded with its errcode: " + outbox());
    assertTrue(TestService.eventually(vertx, () -> wecom.delivered.size() == 1), "delivered after the retries");
    assertEquals(3, wecom.attempts.size());
    assertTrue(TestService.eventually(vertx, () -> outbox().equals(List.of("sent|3|"))), "marked sent: " + outbox());
    assertEquals(1, wecom.tokensIssued.get());
  }

  @Test
  @DisplayName("a picture gets the polite notice that only text is understood; its media id is kept")
  void pictureGetsTheTextOnlyNotice() throws Exception {
    startService();
    acknowledged(callback("<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
        + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA["
        + "https://wework.qpic.cn/x]]></PicUrl><MediaId><![CDATA[media-42]]></MediaId><MsgId>7300000000000000020"
        + "</MsgId><AgentID>" + AGENT_ID + "</AgentID></xml>"));
    assertTrue(TestService.eventually(vertx, () -> wecom.delivered.size() == 1));
    assertTrue(wecom.delivered.get(0).body().getJsonObject("text").getString("content").contains("只能看懂文字"));
    assertEquals("image|media-42", query("SELECT type || '|' || media_id FROM inbound"));
  }

  @Test
  @DisplayName("events are acknowledged with an empty 200 and neither stored nor answered")
  void eventsAreOnlyAcknowledged() throws Exception {
    startService();
    acknowledged(callback("<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
        + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA["
        + "enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>" + AGENT_ID + "</AgentID></xml>"));
    marker("lisi");
    assertEquals(1, wecom.attempts.size());
    assertEquals(1, inboundRows());
  }

  @Test
  @DisplayName("a store that cannot record the message answers 500, so WeCom's retry is the one answered")
  void storeFailureAsksForARetry() throws Exception {
    startService();
    Callback question = callback(text("zhangsan", "7300000000000000030", QUESTION));
    execute("CREATE TRIGGER refuse_inbound BEFORE INSERT ON inbound BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    assertEquals(500, deliver(question).statusCode());
    execute("DROP TRIGGER refuse_inbound");
    acknowledged(question);
    assertTrue(TestService.eventually(vertx, () -> wecom.delivered.size() == 1));
    assertEquals(1, inboundRows());
  }

  @Test
  @DisplayName("the official 加解密方案 sample: URL verification returns 1616140317555161061, the message is answered")
  void officialSample() throws Exception {
    startService(WeComCryptoTest.TOKEN, WeComCryptoTest.AES_KEY, WeComCryptoTest.CORP_ID, 218, SECRET);
    var encoded = service.client.get("/webhooks/wecom")
        .addQueryParam("msg_signature", WeComCryptoTest.VERIFY_SIGNATURE)
        .addQueryParam("timestamp", WeComCryptoTest.VERIFY_TIMESTAMP)
        .addQueryParam("nonce", WeComCryptoTest.VERIFY_NONCE)
        .addQueryParam("echostr", WeComCryptoTest.ECHOSTR);
    HttpResponse<Buffer> r = await(encoded.send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("1616140317555161061", r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"));
    // the same with the echostr's '+' and '/' left unencoded in the query
    r = await(service.client.get("/webhooks/wecom?msg_signature=" + WeComCryptoTest.VERIFY_SIGNATURE + "&timestamp="
        + WeComCryptoTest.VERIFY_TIMESTAMP + "&nonce=" + WeComCryptoTest.VERIFY_NONCE + "&echostr="
        + WeComCryptoTest.ECHOSTR.replace("=", "%3D")).send());
    assertEquals("1616140317555161061", r.bodyAsString());

    acknowledged(new Callback(Map.of("msg_signature", WeComCryptoTest.MESSAGE_SIGNATURE,
        "timestamp", WeComCryptoTest.MESSAGE_TIMESTAMP, "nonce", WeComCryptoTest.MESSAGE_NONCE),
        "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA["
            + WeComCryptoTest.MESSAGE_ENCRYPT + "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"));
    assertTrue(TestService.eventually(vertx, () -> wecom.deliveredTo("mycreate").size() == 1));
    assertEquals(218, wecom.delivered.get(0).body().getInteger("agentid"));
  }

  @Test
  @DisplayName("without credentials (or without the secret) the channel is off and its webhook answers 404")
  void offWithoutCredentials() throws Exception {
    startService("", "", "", 0, "");
    assertEquals(404, await(service.client.get("/webhooks/wecom?echostr=x").send()).statusCode());
    assertEquals(404, deliver(callback(text("zhangsan", "7300000000000000040", QUESTION))).statusCode());
    service.close();
    wecom.close();
    startService(TOKEN, AES_KEY, CORP_ID, AGENT_ID, "");
    assertEquals(404, deliver(callback(text("zhangsan", "7300000000000000041", QUESTION))).statusCode());
    assertEquals(0, inboundRows());
  }

  private int inboundRows() throws Exception {
    return Integer.parseInt(query("SELECT count(*) FROM inbound"));
  }

  /** Each outbox row as state|attempts|last error. */
  private List<String> outbox() throws Exception {
    try (Connection c = database(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT state, attempts, coalesce(last_error, '') FROM outbox ORDER BY id")) {
      List<String> rows = new java.util.ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
      }
      return rows;
    }
  }

  private String query(String sql) throws Exception {
    try (Connection c = database(); PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
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
