package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in, roles and user administration through real HTTP, with the real SQLite file. */
class AdminApiTest {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService service;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private static HttpResponse<Buffer> post(String uri, String token, JsonObject body) throws Exception {
    var request = service.client.post(uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static JsonObject user(String name, String password, String role) {
    return new JsonObject().put("username", name).put("password", password).put("role", role)
        .put("departments", new io.vertx.core.json.JsonArray().add("市场监管"));
  }

  @Test
  @DisplayName("the bootstrap admin signs in; a wrong password or unknown user gets 401 and no token")
  void login() throws Exception {
    assertFalse(service.adminToken().isEmpty());
    HttpResponse<Buffer> wrong = post("/api/v1/auth/login", null,
        new JsonObject().put("username", "admin").put("password", "not-the-password"));
    assertEquals(401, wrong.statusCode());
    assertFalse(wrong.bodyAsJsonObject().containsKey("token"));
    assertEquals(401, post("/api/v1/auth/login", null,
        new JsonObject().put("username", "nobody").put("password", "whatever-long")).statusCode());
    assertEquals(400, post("/api/v1/auth/login", null, new JsonObject().put("username", "admin")).statusCode());
  }

  @Test
  @DisplayName("admin routes need a valid token (401) and the admin role (403)")
  void roles() throws Exception {
    assertEquals(401, post("/api/v1/admin/reindex", null, null).statusCode());
    assertEquals(401, post("/api/v1/admin/reindex", "forged-token", null).statusCode());
    assertEquals(401, await(service.client.get("/api/v1/admin/reindex/x").send()).statusCode());
    String admin = service.adminToken();
    assertEquals(201, post("/api/v1/admin/users", admin, user("adviser.li", "adviser-pass-1", "adviser")).statusCode());
    String adviser = service.login("adviser.li", "adviser-pass-1");
    assertEquals(403, post("/api/v1/admin/reindex", adviser, null).statusCode());
    assertEquals(403, post("/api/v1/admin/users", adviser, user("sneaky", "sneaky-pass-1", "admin")).statusCode());
    assertEquals(401, await(service.client.post("/api/v1/auth/login").sendJsonObject(
        new JsonObject().put("username", "sneaky").put("password", "sneaky-pass-1"))).statusCode(),
        "the forbidden request created no user");
  }

  @Test
  @DisplayName("after 5 wrong passwords the account is refused with 429, even with the right password")
  void throttlesGuessing() throws Exception {
    assertEquals(201, post("/api/v1/admin/users", service.adminToken(), user("guessed.user", "right-pass-123", "adviser"))
        .statusCode());
    JsonObject wrong = new JsonObject().put("username", "guessed.user").put("password", "wrong-pass-000");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, post("/api/v1/auth/login", null, wrong).statusCode());
    }
    HttpResponse<Buffer> blocked = post("/api/v1/auth/login", null,
        new JsonObject().put("username", "guessed.user").put("password", "right-pass-123"));
    assertEquals(429, blocked.statusCode(), blocked.bodyAsString("UTF-8"));
    assertFalse(blocked.bodyAsJsonObject().containsKey("token"));
    assertTrue(Long.parseLong(blocked.getHeader("Retry-After")) > 0);
    assertFalse(service.adminToken().isEmpty(), "other accounts are not affected");
  }

  @Test
  @DisplayName("creating users validates input and refuses duplicates")
  void createUsers() throws Exception {
    String admin = service.adminToken();
    HttpResponse<Buffer> created = post("/api/v1/admin/users", admin, user("admin.wang", "wang-pass-123", "admin"));
    assertEquals(201, created.statusCode());
    assertEquals("admin", created.bodyAsJsonObject().getString("role"));
    assertFalse(created.bodyAsString("UTF-8").contains("wang-pass-123"));
    assertEquals(409, post("/api/v1/admin/users", admin, user("admin.wang", "other-pass-123", "admin")).statusCode());
    assertEquals(400, post("/api/v1/admin/users", admin, user("x", "long-enough-1", "admin")).statusCode());
    assertEquals(400, post("/api/v1/admin/users", admin, user("short.pw", "short", "adviser")).statusCode());
    assertEquals(400, post("/api/v1/admin/users", admin, user("bad.role", "long-enough-1", "owner")).statusCode());
    assertEquals(400, post("/api/v1/admin/users", admin, null).statusCode());
  }

  @Test
  @DisplayName("passwords and tokens are stored only as hashes in the SQLite file")
  void storedHashes() throws Exception {
    String token = service.adminToken();
    Path db = service.dataDir.resolve("legal-koi.db");
    assertTrue(Files.exists(db));
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet users = c.createStatement().executeQuery("SELECT password_hash FROM users WHERE username='admin'");
        ResultSet sessions = c.createStatement().executeQuery("SELECT token_hash FROM sessions")) {
      assertTrue(users.next());
      assertTrue(users.getString(1).startsWith("$2"), "bcrypt hash");
      assertNotEquals(TestService.ADMIN_PASSWORD, users.getString(1));
      assertTrue(sessions.next(), "the token's session is stored");
      do {
        assertNotEquals(token, sessions.getString(1));
      } while (sessions.next());
    }
    String log = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
    assertFalse(log.contains(TestService.ADMIN_PASSWORD));
  }
}
