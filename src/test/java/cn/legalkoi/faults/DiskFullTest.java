package cn.legalkoi.faults;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.dingtalk.DingTalkSignature;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk holding the database full: SQLite cannot add a page to the file. Made without root by SQLite's own
 * {@code PRAGMA max_page_count} on the service's connection, set at the file's current size: a write that needs one
 * more page then fails with {@code SQLITE_FULL}, exactly as when the file system has no block left. Every write below
 * carries a text that needs a page of its own (4 KiB): longer than a page, or, for the web chat, whose body may not
 * exceed 4 KiB, nearly a page, which no page of the transcript already holding lines has room for.
 */
class DiskFullTest {
  private static final String SECRET = "dingtalk-app-secret-disk-full";
  /** About 6 KB of UTF-8: more than a page, so storing it needs pages the full file cannot add. */
  private static final String LONG_QUESTION = "员工没签书面劳动合同，老板要付二倍工资吗？" + "我们是一家小餐馆，".repeat(200);
  /** About 3.9 KB of UTF-8, as much as the web chat's 4 KiB body takes. */
  private static final String WEB_QUESTION = "员工没签书面劳动合同，老板要付二倍工资吗？" + "我们是一家小餐馆，".repeat(142);
  private static final String LONG_REPLY = "您好，关于未签书面劳动合同的二倍工资问题，意见如下。".repeat(120);

  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  HttpServer dingtalk;
  final List<String> sessionPosts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    // DingTalk's session webhooks, where the robot's replies go: each post is recorded by its session
    dingtalk = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      sessionPosts.add(req.path());
      req.response().putHeader("Content-Type", "application/json").end("{\"errcode\":0,\"errmsg\":\"ok\"}");
    })).listen(0, "127.0.0.1"));
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(dir), dir.resolve("data"))
        // long questions are answered like short ones, so a message needs more than a page of the file
        .put("limits", new JsonObject().put("maxQuestionChars", 4000))
        .put("channels", new JsonObject().put("dingtalk", new JsonObject().put("mode", "http")
            .put("appKey", "dingdiskfullkey").put("appSecret", SECRET).put("robotCode", "dingdiskfullrobot")
            .put("apiBase", "http://127.0.0.1:" + dingtalk.actualPort())
            .put("sessionWebhookHosts", new JsonArray().add("127.0.0.1:" + dingtalk.actualPort()))));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("with the disk full, an owner's message and an adviser's reply get 503 with Retry-After, a DingTalk"
      + " callback 503 (not acknowledged), nothing is half-stored, /health says the database is down and why;"
      + " once space returns, without a restart, the same three are taken and each answered once, and the file is"
      + " intact")
  void fullThenSpaceAgain() throws Exception {
    String admin = service.adminToken();
    WebClientSession caller = WebClientSession.create(service.client);
    WebClientSession asker = WebClientSession.create(service.client);
    assertEquals(202, say(caller, "full-ticket-01", "我要找人工").statusCode());
    assertTrue(TestService.eventually(vertx, () -> service.count("SELECT count(*) FROM tickets") == 1
        && service.count("SELECT count(*) FROM inbound WHERE state = 'pending'") == 0));
    long linesBefore = service.count("SELECT count(*) FROM transcript");

    fillTheDisk();

    HttpResponse<Buffer> owner = say(asker, "full-question-01", WEB_QUESTION);
    assertRefusedForNow(owner);
    HttpResponse<Buffer> callback = dingTalkCallback("ding-full-msg-01");
    assertEquals(503, callback.statusCode(), "not acknowledged, so DingTalk delivers it again: "
        + callback.bodyAsString());
    HttpResponse<Buffer> reply = adviserReply(admin);
    assertRefusedForNow(reply);

    JsonObject health = await(service.client.get("/health").send()).bodyAsJsonObject();
    assertEquals("DEGRADED", health.getString("status"), health.encode());
    assertEquals("DOWN", health.getJsonObject("database").getString("status"));
    assertTrue(health.getJsonObject("database").getString("reason").contains("full"), health.encode());
    assertEquals(0, service.count("SELECT count(*) FROM inbound WHERE message_id LIKE '%full-question-01'"
        + " OR message_id = 'ding-full-msg-01'"), "nothing of the refused messages was kept");
    assertEquals(linesBefore, service.count("SELECT count(*) FROM transcript"), "no line half-written");
    assertEquals(0, sessionPosts.size(), "nothing sent for a message not taken");

    makeRoom();

    assertEquals(202, say(asker, "full-question-01", WEB_QUESTION).statusCode(), "the owner's page sends it again");
    assertEquals(200, dingTalkCallback("ding-full-msg-01").statusCode(), "DingTalk delivers it again");
    assertEquals(201, adviserReply(admin).statusCode(), "the adviser sends the reply again");
    assertTrue(TestService.eventually(vertx, () -> sessionPosts.size() == 1
        && service.count("SELECT count(*) FROM inbound WHERE state = 'pending'") == 0), "both are answered");
    assertEquals(200, dingTalkCallback("ding-full-msg-01").statusCode(), "a later repeat is acknowledged");
    assertEquals(1, service.count("SELECT count(*) FROM transcript WHERE author = 'bot' AND conversation_id ="
        + " (SELECT conversation_id FROM inbound WHERE message_id LIKE '%/full-question-01')"),
        "the owner's question answered once");
    assertEquals(1, service.count("SELECT count(*) FROM transcript WHERE author = 'adviser'"), "the reply kept once");
    assertTrue(TestService.eventually(vertx, () -> "UP".equals(await(service.client.get("/health").send())
        .bodyAsJsonObject().getJsonObject("database").getString("status"))), "/health shows the database back");
    assertEquals(List.of("/session/full"), sessionPosts, "one reply to the DingTalk message");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertTrue(rs.next());
      assertEquals("ok", rs.getString(1));
    }
  }

  /**
   * Caps the service's database at the pages it has now, on the service's own connection (through the store), once
   * no free page is left inside the file for it to reuse.
   */
  private void fillTheDisk() throws Exception {
    long free = await(service.app.database().run(c -> {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA freelist_count")) {
        rs.next();
        return rs.getLong(1);
      }
    }));
    assertEquals(0, free, "no free page inside the file");
    long pages = await(service.app.database().run(c -> {
      try (Statement st = c.createStatement(); ResultSet count = st.executeQuery("PRAGMA page_count")) {
        count.next();
        long now = count.getLong(1);
        try (ResultSet capped = st.executeQuery("PRAGMA max_page_count = " + now)) {
          capped.next();
          return capped.getLong(1);
        }
      }
    }));
    assertTrue(pages > 0);
  }

  private void makeRoom() throws Exception {
    await(service.app.database().run(c -> {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA max_page_count = 1073741823")) {
        return rs.next();
      }
    }));
  }

  private static void assertRefusedForNow(HttpResponse<Buffer> r) {
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("database_unavailable", r.bodyAsJsonObject().getString("error"));
    assertTrue(Long.parseLong(r.getHeader("Retry-After")) > 0);
  }

  private HttpResponse<Buffer> say(WebClientSession owner, String id, String text) throws Exception {
    return await(owner.post("/api/v1/chat/messages").sendJsonObject(new JsonObject().put("id", id).put("text", text)));
  }

  private HttpResponse<Buffer> adviserReply(String token) throws Exception {
    return await(service.client.post("/api/v1/tickets/1/replies").putHeader("Authorization", "Bearer " + token)
        .sendJsonObject(new JsonObject().put("text", LONG_REPLY)));
  }

  private HttpResponse<Buffer> dingTalkCallback(String msgId) throws Exception {
    JsonObject message = new JsonObject().put("msgtype", "text")
        .put("text", new JsonObject().put("content", LONG_QUESTION)).put("msgId", msgId)
        .put("createAt", System.currentTimeMillis()).put("conversationType", "1")
        .put("conversationId", "cidDiskFull00000001==").put("senderId", "$:LWCP_v1:$diskfull01")
        .put("senderStaffId", "staffdiskfull").put("senderNick", "王老板").put("robotCode", "dingdiskfullrobot")
        .put("sessionWebhook", "http://127.0.0.1:" + dingtalk.actualPort() + "/session/full")
        .put("sessionWebhookExpiredTime", System.currentTimeMillis() + 90 * 60_000);
    String timestamp = Long.toString(System.currentTimeMillis());
    return await(service.client.post("/webhooks/dingtalk").putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("timestamp", timestamp).putHeader("sign", DingTalkSignature.sign(SECRET, timestamp))
        .sendBuffer(Buffer.buffer(message.encode())));
  }
}
