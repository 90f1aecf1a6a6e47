package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Promise;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeCom 微信客服 end to end: signed and encrypted kf_msg_or_event callbacks, the real service, and a fake WeCom
 * whose kf/sync_msg pages through the messages the test queues and whose kf/send_msg records the replies.
 */
class WeComKfChannelTest {
  static final String KF = "wkKoiTeam0001";
  static final String CUSTOMER = "wmCustomerZhang";

  @TempDir
  Path dir;
  Vertx vertx;
  FakeWeCom wecom;
  TestService service;
  final WeComCrypto asWeCom = new WeComCrypto(WeComChannelTest.TOKEN, WeComChannelTest.AES_KEY,
      WeComChannelTest.CORP_ID);
  final Random random = new Random(11);
  int nonces;
  int msgIds;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    Fixtures.copyKnowledgeBase(dir);
    wecom = FakeWeCom.start(vertx, WeComChannelTest.CORP_ID, WeComChannelTest.SECRET);
    startService();
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    wecom.close();
    await(vertx.close());
  }

  private void startService() throws Exception {
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("channels", new JsonObject().put("wecom", new JsonObject().put("token", WeComChannelTest.TOKEN)
            .put("encodingAesKey", WeComChannelTest.AES_KEY).put("corpId", WeComChannelTest.CORP_ID)
            .put("agentId", WeComChannelTest.AGENT_ID).put("secret", WeComChannelTest.SECRET)
            .put("apiBase", wecom.apiBase())));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  /** A customer's text as kf/sync_msg lists it, sent {@code ago} before now. */
  JsonObject customerText(String user, String content, Duration ago) {
    return new JsonObject().put("msgid", "kfmsg" + (++msgIds)).put("open_kfid", KF).put("external_userid", user)
        .put("send_time", (System.currentTimeMillis() - ago.toMillis()) / 1000).put("origin", 3)
        .put("msgtype", "text").put("text", new JsonObject().put("content", content));
  }

  JsonObject customerText(String user, String content) {
    return customerText(user, content, Duration.ZERO);
  }

  /** The signed, encrypted kf_msg_or_event callback for the account, with a fresh Token from the fake. */
  WeComChannelTest.Callback kfCallback() {
    return kfCallback("<Token><![CDATA[" + wecom.newKfToken() + "]]></Token><OpenKfId><![CDATA[" + KF
        + "]]></OpenKfId>");
  }

  WeComChannelTest.Callback kfCallback(String tokenAndAccount) {
    String message = "<xml><ToUserName><![CDATA[" + WeComChannelTest.CORP_ID + "]]></ToUserName><CreateTime>"
        + "1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>"
        + tokenAndAccount + "</xml>";
    String encrypt = asWeCom.encrypt(message, WeComCrypto.randomPrefix(random));
    String timestamp = "1700000000";
    String nonce = "kfnonce" + (++nonces);
    return new WeComChannelTest.Callback(java.util.Map.of("msg_signature",
        WeComCrypto.signature(WeComChannelTest.TOKEN, timestamp, nonce, encrypt), "timestamp", timestamp,
        "nonce", nonce), "<xml><ToUserName><![CDATA[" + WeComChannelTest.CORP_ID + "]]></ToUserName><Encrypt>"
        + "<![CDATA[" + encrypt + "]]></Encrypt><AgentID><![CDATA[" + WeComChannelTest.AGENT_ID + "]]></AgentID></xml>");
  }

  HttpResponse<Buffer> deliver(WeComChannelTest.Callback callback) throws Exception {
    var request = service.client.post("/webhooks/wecom").putHeader("Content-Type", "text/xml");
    callback.query().forEach(request::addQueryParam);
    return await(request.sendBuffer(Buffer.buffer(callback.body())));
  }

  /** Delivers the callback; WeCom must get an empty 200. */
  void acknowledged(WeComChannelTest.Callback callback) throws Exception {
    HttpResponse<Buffer> r = deliver(callback);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals(0, r.body() == null ? 0 : r.body().length(), "an empty acknowledgement");
  }

  /** Another customer writes and is answered: everything queued before has been dealt with. */
  void marker(String user) throws Exception {
    wecom.addKfMessage(customerText(user, "你好"));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDeliveredTo(user).size() == 1), "the marker was answered");
  }

  @Test
  @DisplayName("a kf_msg_or_event callback syncs the account and answers the customer once, with the legal basis;"
      + " the same callback again syncs from the stored cursor and answers nothing twice")
  void answersEachCustomerMessageOnce() throws Exception {
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    wecom.addKfMessage(new JsonObject().put("msgid", "kfservicer1").put("open_kfid", KF)
        .put("external_userid", CUSTOMER).put("send_time", System.currentTimeMillis() / 1000).put("origin", 5)
        .put("servicer_userid", "adviser1").put("msgtype", "text").put("text", new JsonObject().put("content", "好的")));
    wecom.addKfMessage(new JsonObject().put("msgid", "kfevent1").put("open_kfid", KF)
        .put("send_time", System.currentTimeMillis() / 1000).put("origin", 4).put("msgtype", "event")
        .put("event", new JsonObject().put("event_type", "enter_session").put("external_userid", CUSTOMER)));
    WeComChannelTest.Callback callback = kfCallback();
    acknowledged(callback);
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 1), "the answer reached 微信客服");
    JsonObject sent = wecom.kfDelivered.get(0).body();
    assertEquals(CUSTOMER, sent.getString("touser"));
    assertEquals(KF, sent.getString("open_kfid"));
    assertEquals("text", sent.getString("msgtype"));
    String content = sent.getJsonObject("text").getString("content");
    assertTrue(content.contains("《") && content.contains("https://koi.example.test/guidance/double-wages"), content);
    FakeWeCom.Sync first = wecom.syncs.get(0);
    assertEquals("", first.cursor());
    assertEquals(1000, first.limit());
    assertTrue(TestService.eventually(vertx, () -> first.nextCursor().equals(storedCursor())), "the cursor is kept");

    acknowledged(callback);
    assertTrue(TestService.eventually(vertx, () -> wecom.syncs.size() == 2));
    assertEquals(first.nextCursor(), wecom.syncs.get(1).cursor(), "the second sync starts from the stored cursor");
    marker("wmCustomerLi");
    assertEquals(1, wecom.kfDeliveredTo(CUSTOMER).size(), "one answer however often WeCom notifies");
    assertEquals(2, count("SELECT count(*) FROM inbound WHERE channel = 'wecom_kf'"), "events and the servicer's"
        + " own message are not recorded");
    assertEquals(1, wecom.tokensIssued.get(), "sync and send share the app's access token");
  }

  @Test
  @DisplayName("messages over two pages (has_more) are all answered, the second page read from the first's cursor")
  void readsEveryPage() throws Exception {
    wecom.kfPageSize = 2;
    List<String> customers = List.of("wmPage1", "wmPage2", "wmPage3");
    for (String c : customers) {
      wecom.addKfMessage(customerText(c, WeComChannelTest.QUESTION));
    }
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 3), "every customer was answered");
    for (String c : customers) {
      assertEquals(1, wecom.kfDeliveredTo(c).size(), c);
    }
    assertEquals(2, wecom.syncs.size());
    assertEquals(wecom.syncs.get(0).nextCursor(), wecom.syncs.get(1).cursor());
    assertEquals(wecom.syncs.get(0).token(), wecom.syncs.get(1).token(), "one callback token for the whole sync");
  }

  /** The first customer writes and is answered; the cursor after that sync, once it is stored. */
  private String answerFirstCustomer() throws Exception {
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 1));
    String cursor = wecom.syncs.get(0).nextCursor();
    assertTrue(TestService.eventually(vertx, () -> cursor.equals(storedCursor())));
    return cursor;
  }

  @Test
  @DisplayName("after a restart the stored cursor is used: only the new message is answered")
  void keepsTheCursorAcrossARestart() throws Exception {
    String cursor = answerFirstCustomer();

    service.close();
    service = null;
    startService();
    wecom.addKfMessage(customerText("wmAfterRestart", WeComChannelTest.QUESTION));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDeliveredTo("wmAfterRestart").size() == 1));
    assertEquals(cursor, wecom.syncs.get(1).cursor());
    assertEquals(1, wecom.kfDeliveredTo(CUSTOMER).size(), "nothing answered twice across the restart");
  }

  @Test
  @DisplayName("a message whose callback was missed while the service was down is pulled at the next start, without"
      + " waiting for another callback, and answered once")
  void resumesEveryAccountAtStart() throws Exception {
    String cursor = answerFirstCustomer();

    service.close();
    service = null;
    // the customer writes while the service is down; WeCom's callback finds no one and is not sent again
    wecom.addKfMessage(customerText("wmWhileDown", WeComChannelTest.QUESTION));
    startService();
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDeliveredTo("wmWhileDown").size() == 1),
        "answered without a callback");
    FakeWeCom.Sync resumed = wecom.syncs.get(1);
    assertEquals(cursor, resumed.cursor(), "from the stored cursor");
    assertEquals(null, resumed.token(), "no callback token to use");
    assertEquals(1, wecom.kfDeliveredTo(CUSTOMER).size(), "nothing answered twice");
  }

  @Test
  @DisplayName("a sync whose callback token WeCom refuses (expired) is tried again at once without it; the customer"
      + " is answered")
  void expiredCallbackToken() throws Exception {
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    WeComChannelTest.Callback callback = kfCallback();
    wecom.expireKfTokens();
    acknowledged(callback);
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDeliveredTo(CUSTOMER).size() == 1));
    assertEquals(1, wecom.syncs.size(), "the refused sync read nothing; the one without a token read the message");
    assertEquals(null, wecom.syncs.get(0).token());
  }

  @Test
  @DisplayName("a callback during a sync waits for it and then syncs once more; never two syncs of one account at once")
  void oneSyncAtATime() throws Exception {
    Promise<Void> gate = Promise.promise();
    wecom.syncGate = gate.future();
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.syncsRunning.get() == 1), "the first sync is under way");
    acknowledged(kfCallback());
    acknowledged(kfCallback());
    wecom.addKfMessage(customerText("wmSecond", WeComChannelTest.QUESTION));
    wecom.syncGate = null;
    gate.complete();
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 2), "both customers answered");
    assertTrue(TestService.eventually(vertx, () -> wecom.syncs.size() == 2));
    assertEquals(wecom.syncs.get(0).nextCursor(), wecom.syncs.get(1).cursor());
    assertEquals(1, wecom.mostSyncsAtOnce.get());
    marker("wmMarker");
    assertEquals(3, wecom.syncs.size(), "the two callbacks during the first sync made one more sync");
  }

  @Test
  @DisplayName("a sixth reply without a new customer message is refused, not sent and not retried; the next"
      + " customer message opens the window again")
  void refusesTheSixthReply() throws Exception {
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 1));
    // five more replies queued for the same customer, as an adviser's follow-ups would be
    try (Connection c = database(); PreparedStatement st = c.prepareStatement("INSERT INTO outbox (conversation_id,"
        + " channel, text, in_reply_to, target, state, next_attempt_at, created_at) SELECT id, 'wecom_kf', ?, ?,"
        + " reply_target, 'pending', 0, ? FROM conversations WHERE channel = 'wecom_kf' AND user_id = ?")) {
      for (int i = 2; i <= 6; i++) {
        st.setString(1, "第" + i + "条回复。");
        st.setString(2, "follow-up-" + i);
        st.setLong(3, System.currentTimeMillis());
        st.setString(4, CUSTOMER);
        st.executeUpdate();
      }
    }
    assertTrue(TestService.eventually(vertx, () -> outboxStates().stream().noneMatch(s -> s.startsWith("pending"))),
        "every reply was dealt with: " + outboxStates());
    assertEquals(5, wecom.kfDeliveredTo(CUSTOMER).size(), "five replies since the customer wrote");
    List<String> failed = outboxStates().stream().filter(s -> s.startsWith("failed")).toList();
    assertEquals(1, failed.size(), String.valueOf(outboxStates()));
    assertTrue(failed.get(0).startsWith("failed|1|微信客服 reply limit reached: 5 replies"), failed.get(0));
    assertEquals(5, count("SELECT replies_since FROM wecom_kf_owners WHERE external_userid = '" + CUSTOMER + "'"));

    wecom.addKfMessage(customerText(CUSTOMER, "谢谢，还有一个问题：试用期可以不交社保吗"));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDeliveredTo(CUSTOMER).size() == 6),
        "the customer's new message is answered");
    assertTrue(TestService.eventually(vertx, () -> count("SELECT replies_since FROM wecom_kf_owners") == 1));
  }

  @Test
  @DisplayName("a customer message sent more than 48 hours ago is recorded but its reply is not sent, with the reason")
  void noReplyOutsideFortyEightHours() throws Exception {
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION, Duration.ofHours(49)));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> outboxStates().size() == 1
        && outboxStates().get(0).startsWith("failed")), "the reply is kept as failed: " + outboxStates());
    assertTrue(outboxStates().get(0).startsWith("failed|1|微信客服 reply window closed"), outboxStates().get(0));
    assertEquals(1, count("SELECT count(*) FROM inbound WHERE channel = 'wecom_kf'"));
    marker("wmRecent");
    assertEquals(List.of(), wecom.kfDeliveredTo(CUSTOMER));
  }

  @Test
  @DisplayName("a kf_msg_or_event without OpenKfId or Token gets 400 and starts no sync")
  void refusesANoticeWithoutAccountOrToken() throws Exception {
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    assertEquals(400, deliver(kfCallback("<Token><![CDATA[" + wecom.newKfToken() + "]]></Token>")).statusCode());
    assertEquals(400, deliver(kfCallback("<OpenKfId><![CDATA[" + KF + "]]></OpenKfId>")).statusCode());
    assertEquals(400, deliver(kfCallback("<Token><![CDATA[a b]]></Token><OpenKfId><![CDATA[" + KF
        + "]]></OpenKfId>")).statusCode());
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 1));
    assertEquals(1, wecom.syncs.size(), "only the valid notice started a sync");
  }

  @Test
  @DisplayName("a rate limit on kf/send_msg is retried and costs no place in the window; a session a person has"
      + " taken over (95018) is failed at once")
  void sendFailures() throws Exception {
    wecom.kfSendErrors.add(45009);
    wecom.addKfMessage(customerText(CUSTOMER, WeComChannelTest.QUESTION));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> wecom.kfDelivered.size() == 1), "delivered after the retry");
    assertTrue(TestService.eventually(vertx, () -> outboxStates().equals(List.of("sent|2|"))), "" + outboxStates());
    assertEquals(1, count("SELECT replies_since FROM wecom_kf_owners"), "the failed attempt gave its place back");

    wecom.kfSendErrors.add(95018);
    wecom.addKfMessage(customerText("wmServedByAPerson", WeComChannelTest.QUESTION));
    acknowledged(kfCallback());
    assertTrue(TestService.eventually(vertx, () -> outboxStates().size() == 2
        && outboxStates().get(1).startsWith("failed|1|微信客服 reply refused: a person serves this session now")),
        "" + outboxStates());
    assertEquals(List.of(), wecom.kfDeliveredTo("wmServedByAPerson"));
    assertEquals(0, count("SELECT replies_since FROM wecom_kf_owners WHERE external_userid = 'wmServedByAPerson'"));
  }

  private String storedCursor() throws Exception {
    try (Connection c = database(); PreparedStatement st = c.prepareStatement(
        "SELECT cursor FROM wecom_kf_cursors WHERE open_kfid = ?")) {
      st.setString(1, KF);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Each outbox row as state|attempts|last error. */
  private List<String> outboxStates() throws Exception {
    try (Connection c = database(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT state, attempts, coalesce(last_error, '') FROM outbox ORDER BY id")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
      }
      return rows;
    }
  }

  private int count(String sql) throws Exception {
    try (Connection c = database(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getInt(1) : -1;
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
