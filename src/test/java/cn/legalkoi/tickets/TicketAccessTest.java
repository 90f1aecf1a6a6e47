package cn.legalkoi.tickets;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route checks who is asking: the routes are read from the running service, so a route added later without a
 * role check fails here. Also: an adviser cannot open another department's ticket, an expired or disabled account's
 * token stops working, and refused actions change nothing.
 */
class TicketAccessTest {
  /** Routes anyone may call: owners' pages and chat, the public question API, sign-in and platform webhooks. */
  private static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/login", "GET /api/v1/search", "POST /api/v1/ask",
      "GET /api/v1/chat/messages", "POST /api/v1/chat/messages");

  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  String adviser;
  String elsewhere;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    adviser = adviser("wang.wu", "综合执法");
    elsewhere = adviser("zhao.liu", "生态环境");
    WebClientSession owner = WebClientSession.create(service.client);
    assertEquals(202, await(owner.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "message-0001").put("text", "我要找人工"))).statusCode());
    assertTrue(TestService.eventually(vertx, () -> service.count("SELECT count(*) FROM tickets") == 1));
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private String adviser(String name, String department) throws Exception {
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/api/v1/admin/users", service.adminToken(), new JsonObject()
        .put("username", name).put("password", "adviser-password-1").put("role", "adviser")
        .put("departments", new JsonArray().add(department)));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return service.login(name, "adviser-password-1");
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }


  /** The protected API routes of the running service, with path parameters filled in. */
  private List<String[]> protectedRoutes() {
    List<String[]> out = new ArrayList<>();
    for (String route : service.app.routes()) {
      String[] parts = route.split(" ", 2);
      if (!parts[1].startsWith("/api/") || PUBLIC.contains(route)) {
        continue;
      }
      out.add(new String[] {parts[0], parts[1].replace(":id", "1").replace(":jobId", "j1")
          .replace(":username", "wang.wu").replace(":name", "综合执法").replaceAll(":[A-Za-z]+", "x")});
    }
    return out;
  }

  @Test
  @DisplayName("every protected route answers 401 without a token, with a forged one, and with an expired one")
  void everyRouteNeedsAToken() throws Exception {
    List<String[]> routes = protectedRoutes();
    assertTrue(routes.size() >= 24, "the service's routes are read: " + routes.size());
    for (String[] route : routes) {
      HttpMethod method = HttpMethod.valueOf(route[0]);
      JsonObject body = method == HttpMethod.POST ? new JsonObject() : null;
      assertEquals(401, call(method, route[1], null, body).statusCode(), "no token: " + String.join(" ", route));
      assertEquals(401, call(method, route[1], "forged-token", body).statusCode(), "forged: " + String.join(" ", route));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE sessions SET expires_at = 1");
    }
    for (String[] route : routes) {
      HttpMethod method = HttpMethod.valueOf(route[0]);
      assertEquals(401, call(method, route[1], adviser, method == HttpMethod.POST ? new JsonObject() : null)
          .statusCode(), "expired: " + String.join(" ", route));
    }
  }

  @Test
  @DisplayName("an adviser's token gets 403 on every admin route, and nothing is created or changed")
  void advisersAreNotAdmins() throws Exception {
    long users = service.count("SELECT count(*) FROM users");
    long departments = service.count("SELECT count(*) FROM departments WHERE active = 1");
    int checked = 0;
    for (String[] route : protectedRoutes()) {
      if (!route[1].startsWith("/api/v1/admin/")) {
        continue;
      }
      HttpMethod method = HttpMethod.valueOf(route[0]);
      JsonObject body = method == HttpMethod.POST ? new JsonObject().put("username", "mallory")
          .put("password", "mallory-password-1").put("role", "admin").put("name", "伪造部门") : null;
      assertEquals(403, call(method, route[1], adviser, body).statusCode(), String.join(" ", route));
      checked++;
    }
    assertTrue(checked >= 7, "admin routes checked: " + checked);
    assertEquals(users, service.count("SELECT count(*) FROM users"));
    assertEquals(departments, service.count("SELECT count(*) FROM departments WHERE active = 1"));
  }

  @Test
  @DisplayName("an adviser of another department gets 403 on every route of the ticket, and the ticket is unchanged")
  void otherDepartmentsTicketIsClosed() throws Exception {
    String before = call(HttpMethod.GET, "/api/v1/tickets/1", adviser, null).bodyAsJsonObject()
        .put("reach", "").encode();
    int checked = 0;
    for (String[] route : protectedRoutes()) {
      if (!route[1].startsWith("/api/v1/tickets/1")) {
        continue;
      }
      HttpMethod method = HttpMethod.valueOf(route[0]);
      JsonObject body = method == HttpMethod.POST ? new JsonObject().put("text", "越权回复").put("department", "生态环境")
          .put("username", "zhao.liu").put("complexity", "complex").put("note", "x") : null;
      assertEquals(403, call(method, route[1], elsewhere, body).statusCode(), String.join(" ", route));
      checked++;
    }
    assertTrue(checked >= 10, "ticket routes checked: " + checked);
    assertEquals(0, call(HttpMethod.GET, "/api/v1/tickets", elsewhere, null).bodyAsJsonObject()
        .getJsonArray("tickets").size());
    String after = call(HttpMethod.GET, "/api/v1/tickets/1", adviser, null).bodyAsJsonObject()
        .put("reach", "").encode();
    assertEquals(before.replaceAll("\"history\":\\[.*", ""), after.replaceAll("\"history\":\\[.*", ""));
    assertEquals(0, service.count("SELECT count(*) FROM transcript WHERE text = '越权回复'"));
    assertEquals(0, service.count("SELECT count(*) FROM outbox WHERE text = '越权回复'"));
  }

  @Test
  @DisplayName("a disabled adviser's token stops working at once and they cannot sign in again")
  void disabledAccount() throws Exception {
    assertEquals(200, call(HttpMethod.GET, "/api/v1/tickets", adviser, null).statusCode());
    assertEquals(200, call(HttpMethod.POST, "/api/v1/admin/users/wang.wu/disable", service.adminToken(), null)
        .statusCode());
    assertEquals(401, call(HttpMethod.GET, "/api/v1/tickets", adviser, null).statusCode());
    HttpResponse<Buffer> login = call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("username", "wang.wu").put("password", "adviser-password-1"));
    assertEquals(401, login.statusCode());
    JsonArray users = call(HttpMethod.GET, "/api/v1/admin/users", service.adminToken(), null).bodyAsJsonObject()
        .getJsonArray("users");
    assertFalse(users.stream().map(u -> (JsonObject) u).filter(u -> "wang.wu".equals(u.getString("username")))
        .findFirst().orElseThrow().getBoolean("active"));
    assertEquals(1, service.count("SELECT count(*) FROM audit_log WHERE action = 'user_disabled' AND actor = 'admin'"));
  }
}
