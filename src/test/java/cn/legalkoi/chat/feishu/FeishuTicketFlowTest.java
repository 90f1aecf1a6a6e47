package cn.legalkoi.chat.feishu;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of a ticket through a fake Feishu: the owner asks for a person, a ticket opens and the owner is told
 * its number, an adviser claims and replies, the reply reaches the owner (through a platform failure and a restart),
 * the ticket is resolved and the owner's rating is recorded.
 */
class FeishuTicketFlowTest {
  static final String TOKEN = "vt-verification-token";
  static final String ENCRYPT_KEY = "ek-encrypt-key";
  static final String OWNER = "ou_owner0000000000000000000000001";
  static final String CHAT = "oc_p2powner000000000000000000001";

  @TempDir
  Path dir;
  Vertx vertx;
  FakeFeishu feishu;
  TestService service;
  int events;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    feishu = FakeFeishu.start(vertx);
    Fixtures.copyKnowledgeBase(dir);
    serve();
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  private void serve() throws Exception {
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("channels", new JsonObject().put("feishu", new JsonObject().put("appId", FakeFeishu.APP_ID)
            .put("appSecret", FakeFeishu.APP_SECRET).put("verificationToken", TOKEN).put("encryptKey", ENCRYPT_KEY)
            .put("apiBase", feishu.url())));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  /** The owner writes in Feishu; the webhook acknowledges it. */
  private void ownerSays(String text) throws Exception {
    events++;
    byte[] body = FeishuEvents.encrypted(FeishuEvents.text(TOKEN, "ev-flow-" + events, "p2p", CHAT, OWNER,
        "om_flow_" + events, text), ENCRYPT_KEY);
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String nonce = "n" + System.nanoTime();
    HttpResponse<Buffer> ack = await(service.client.post("/webhooks/feishu")
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("X-Lark-Request-Timestamp", timestamp).putHeader("X-Lark-Request-Nonce", nonce)
        .putHeader("X-Lark-Signature", FeishuEvents.signature(timestamp, nonce, ENCRYPT_KEY, body))
        .sendBuffer(Buffer.buffer(body)));
    assertEquals(200, ack.statusCode(), ack.bodyAsString());
  }

  private List<String> ownerReceived() {
    return feishu.replies().stream().map(FakeFeishu.ReplyRequest::text).toList();
  }

  private boolean ownerReceives(int count) throws Exception {
    return TestService.eventually(vertx, () -> feishu.replies().size() >= count);
  }

  private HttpResponse<Buffer> call(String method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private String adviser(String name, String department) throws Exception {
    HttpResponse<Buffer> created = call("POST", "/api/v1/admin/users", service.adminToken(), new JsonObject()
        .put("username", name).put("password", "adviser-password-1").put("role", "adviser")
        .put("departments", new JsonArray().add(department)));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return service.login(name, "adviser-password-1");
  }

  @Test
  @DisplayName("owner asks for a person → ticket → adviser claims and replies → owner receives it, through a platform"
      + " failure and a restart → resolved → the owner's rating is recorded")
  void wholePath() throws Exception {
    ownerSays("我要找人工，麻烦帮我看看 <b>合同</b> 的事");
    assertTrue(ownerReceives(1));
    String told = ownerReceived().get(0);
    assertTrue(told.contains("工单号 1"), told);
    assertTrue(told.contains("前回复您"), "the promised time is told with the number: " + told);

    String adviser = adviser("zhang.san", "综合执法");
    String elsewhere = adviser("li.si", "生态环境");
    JsonArray queue = call("GET", "/api/v1/tickets", adviser, null).bodyAsJsonObject().getJsonArray("tickets");
    assertEquals(1, queue.size());
    JsonObject ticket = queue.getJsonObject(0);
    assertEquals("open", ticket.getString("status"));
    assertEquals("simple", ticket.getString("complexity"));
    assertEquals("综合执法", ticket.getString("department"), "no category: the default department");
    assertEquals("feishu", ticket.getString("channel"));
    assertTrue(ticket.getString("question").contains("<b>合同</b>"), "owner text is kept as it was written");
    assertNotNull(ticket.getJsonObject("due").getString("respond"));
    assertNotNull(ticket.getJsonObject("due").getString("settle"));
    assertNull(ticket.getJsonObject("due").getString("feedback"));

    assertEquals(0, call("GET", "/api/v1/tickets", elsewhere, null).bodyAsJsonObject().getJsonArray("tickets").size(),
        "another department's adviser does not see it");
    assertEquals(403, call("GET", "/api/v1/tickets/1", elsewhere, null).statusCode());
    assertEquals(403, call("POST", "/api/v1/tickets/1/claim", elsewhere, null).statusCode());

    // the owner writes twice more: one acknowledgement, then quiet, and no bot answer
    ownerSays("13800001111 衢州某某食品有限公司");
    assertTrue(ownerReceives(2));
    assertTrue(ownerReceived().get(1).contains("联系方式"), ownerReceived().get(1));
    ownerSays("补充一下，对方一直拖着不付款");
    assertTrue(ownerReceives(3));
    ownerSays("还有发票的问题");
    JsonObject detail = call("GET", "/api/v1/tickets/1", adviser, null).bodyAsJsonObject();
    assertTrue(TestService.eventually(vertx, () -> call("GET", "/api/v1/tickets/1", adviser, null).bodyAsJsonObject()
        .getJsonArray("transcript").stream().anyMatch(l -> "还有发票的问题".equals(((JsonObject) l).getString("text")))));
    assertEquals(3, feishu.replies().size(), "one acknowledgement for two follow-ups: " + ownerReceived());
    assertEquals("13800001111", detail.getJsonObject("owner").getString("phone"));

    assertEquals(200, call("POST", "/api/v1/tickets/1/claim", adviser, null).statusCode());
    feishu.failNextReplies(2);
    HttpResponse<Buffer> replied = call("POST", "/api/v1/tickets/1/replies", adviser,
        new JsonObject().put("text", "您好，我是综合执法的张顾问。请把合同照片发给我。"));
    assertEquals(201, replied.statusCode(), replied.bodyAsString());
    HttpResponse<Buffer> note = call("POST", "/api/v1/tickets/1/replies", adviser,
        new JsonObject().put("text", "内部：先核对合同期限").put("note", true));
    assertEquals(201, note.statusCode());
    JsonObject claimed = call("GET", "/api/v1/tickets/1", adviser, null).bodyAsJsonObject();
    assertNotNull(claimed.getJsonObject("met").getString("respond"), "the first reply meets respond");

    // the platform refuses twice; restart while the reply waits, and it still arrives, once
    service.close();
    service = null;
    serve();
    assertTrue(ownerReceives(4));
    assertTrue(TestService.eventually(vertx, () -> feishu.replyAttempts.size() >= 5));
    assertEquals("您好，我是综合执法的张顾问。请把合同照片发给我。", ownerReceived().get(3));
    assertFalse(ownerReceived().stream().anyMatch(t -> t.contains("内部")), "an internal note is never sent");

    String again = service.login("zhang.san", "adviser-password-1");
    HttpResponse<Buffer> resolved = call("POST", "/api/v1/tickets/1/resolve", again, null);
    assertEquals(200, resolved.statusCode(), resolved.bodyAsString());
    assertTrue(ownerReceives(5));
    assertTrue(ownerReceived().get(4).contains("打分"), ownerReceived().get(4));
    ownerSays("5");
    assertTrue(ownerReceives(6));
    JsonObject rated = call("GET", "/api/v1/tickets/1", again, null).bodyAsJsonObject();
    assertEquals(5, rated.getInteger("rating"));
    assertEquals("resolved", rated.getString("status"));
    List<String> actions = rated.getJsonArray("history").stream()
        .map(h -> ((JsonObject) h).getString("action")).toList();
    assertTrue(actions.containsAll(List.of("opened", "contact_given", "claimed", "replied", "noted", "resolved",
        "rated")), actions.toString());
    assertEquals(6, feishu.replies().size(), "nothing was delivered twice: " + ownerReceived());
  }
}
