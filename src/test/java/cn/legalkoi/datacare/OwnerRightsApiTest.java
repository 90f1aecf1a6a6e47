package cn.legalkoi.datacare;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An owner's export and erasure (个人信息保护法第四十五条、第四十七条) through real HTTP: admin only, ids kept, audited. */
class OwnerRightsApiTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  String owner;
  WebClientSession session;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    session = WebClientSession.create(service.client);
    assertEquals(202, await(session.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "message-0001").put("text", "我要找人工"))).statusCode());
    assertTrue(TestService.eventually(vertx, () -> count("SELECT count(*) FROM tickets") == 1));
    owner = text("SELECT user_id FROM conversations WHERE channel = 'web'");
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/api/v1/admin/users", service.adminToken(), new JsonObject()
        .put("username", "li.si").put("password", "adviser-password-1").put("role", "adviser")
        .put("departments", new JsonArray().add("综合执法")));
    assertEquals(201, created.statusCode(), created.bodyAsString());
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  @Test
  @DisplayName("without a token 401, as an adviser 403, and neither exports nor erases anything")
  void adminOnly() throws Exception {
    String adviser = service.login("li.si", "adviser-password-1");
    for (String action : new String[] {"export", "erase"}) {
      HttpMethod method = action.equals("export") ? HttpMethod.GET : HttpMethod.POST;
      String uri = "/api/v1/admin/owners/web/" + owner + "/" + action;
      assertEquals(401, call(method, uri, null, null).statusCode());
      assertEquals(403, call(method, uri, adviser, null).statusCode());
    }
    assertEquals("我要找人工", text("SELECT question FROM tickets"));
    assertEquals(0, count("SELECT count(*) FROM audit_log WHERE action LIKE 'owner_%'"));
  }

  @Test
  @DisplayName("the export holds the owner's conversation and ticket; erasure blanks them, keeps ids, and is audited")
  void exportThenErase() throws Exception {
    String admin = service.adminToken();
    String base = "/api/v1/admin/owners/web/" + owner;
    HttpResponse<Buffer> exported = call(HttpMethod.GET, base + "/export", admin, null);
    assertEquals(200, exported.statusCode(), exported.bodyAsString());
    JsonObject conversation = exported.bodyAsJsonObject().getJsonArray("conversations").getJsonObject(0);
    assertEquals("我要找人工", conversation.getJsonArray("transcript").getJsonObject(0).getString("text"));
    assertTrue(conversation.getJsonArray("messages").getJsonObject(0).getString("messageId").endsWith("message-0001"));
    assertEquals("我要找人工", conversation.getJsonArray("tickets").getJsonObject(0).getString("question"));

    HttpResponse<Buffer> erased = call(HttpMethod.POST, base + "/erase", admin, null);
    assertEquals(200, erased.statusCode(), erased.bodyAsString());
    assertEquals(1, erased.bodyAsJsonObject().getInteger("tickets"));

    JsonObject after = call(HttpMethod.GET, base + "/export", admin, null).bodyAsJsonObject()
        .getJsonArray("conversations").getJsonObject(0);
    after.getJsonArray("transcript").forEach(l -> assertEquals(OwnerContent.ERASED, ((JsonObject) l).getString("text")));
    JsonObject message = after.getJsonArray("messages").getJsonObject(0);
    assertTrue(message.getString("messageId").endsWith("message-0001"), "the id stays");
    assertNull(message.getString("text"));
    long lines = count("SELECT count(*) FROM transcript");
    assertEquals(202, await(session.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "message-0001").put("text", "我要找人工"))).statusCode());
    assertEquals(lines, count("SELECT count(*) FROM transcript"), "a replayed message is still not taken again");
    assertEquals(OwnerContent.ERASED, after.getJsonArray("tickets").getJsonObject(0).getString("question"));
    assertEquals(1, count("SELECT count(*) FROM tickets"), "the ticket still counts in the 315 report");

    assertEquals(1, count("SELECT count(*) FROM audit_log WHERE action = 'owner_erased' AND actor = 'admin'"));
    assertEquals(0, count("SELECT count(*) FROM audit_log WHERE ifnull(detail, '') LIKE '%人工%'"));
    assertFalse(call(HttpMethod.GET, "/api/v1/tickets/1", admin, null).bodyAsString().contains("我要找人工"));
  }

  @Test
  @DisplayName("an unknown owner is 404 and a channel that does not exist is 400; nothing is recorded")
  void unknownOwner() throws Exception {
    String admin = service.adminToken();
    assertEquals(404, call(HttpMethod.GET, "/api/v1/admin/owners/wecom/nobody/export", admin, null).statusCode());
    assertEquals(404, call(HttpMethod.POST, "/api/v1/admin/owners/wecom/nobody/erase", admin, null).statusCode());
    assertEquals(400, call(HttpMethod.GET, "/api/v1/admin/owners/fax/" + owner + "/export", admin, null).statusCode());
    assertEquals(0, count("SELECT count(*) FROM audit_log WHERE action = 'owner_erased'"));
    assertEquals("我要找人工", text("SELECT question FROM tickets"));
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private long count(String sql) throws Exception {
    return Long.parseLong(text(sql));
  }

  private String text(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
