package cn.legalkoi.faults;

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

/** Another process holding the database locked: a clear 503, nothing half-written, and recovery once it lets go. */
class DatabaseLockedTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private HttpResponse<Buffer> say(WebClientSession owner, String id, String text) throws Exception {
    return await(owner.post("/api/v1/chat/messages").sendJsonObject(new JsonObject().put("id", id).put("text", text)));
  }

  @Test
  @DisplayName("while another process holds the database locked, a message gets 503 with Retry-After and is not"
      + " half-stored, and /health says the database is locked; once it lets go the same message is taken and"
      + " answered, /health is up again, and the file is intact")
  void lockedThenReleased() throws Exception {
    WebClientSession owner = WebClientSession.create(service.client);
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = other.createStatement()) {
      st.execute("PRAGMA busy_timeout = 0");
      other.setAutoCommit(false);
      st.execute("INSERT INTO departments(name, active, created_at) VALUES ('锁表测试', 1, 'x')");
      HttpResponse<Buffer> refused = say(owner, "locked-000001", "员工没签合同要赔钱吗");
      assertEquals(503, refused.statusCode(), refused.bodyAsString());
      assertEquals("database_unavailable", refused.bodyAsJsonObject().getString("error"));
      assertTrue(Long.parseLong(refused.getHeader("Retry-After")) > 0);
      JsonObject health = await(service.client.get("/health").send()).bodyAsJsonObject();
      assertEquals("DEGRADED", health.getString("status"), "reads still work, but writes do not: " + health);
      assertTrue(health.getJsonObject("database").getString("reason").contains("locked"), health.encode());
      other.rollback();
    }
    assertEquals(0, service.count("SELECT count(*) FROM inbound"), "nothing of the refused message was kept");
    HttpResponse<Buffer> taken = say(owner, "locked-000001", "员工没签合同要赔钱吗");
    assertEquals(202, taken.statusCode(), taken.bodyAsString());
    assertTrue(TestService.eventually(vertx,
        () -> service.count("SELECT count(*) FROM transcript WHERE author = 'bot'") == 1));
    assertEquals("UP", await(service.client.get("/health").send()).bodyAsJsonObject().getJsonObject("database")
        .getString("status"), "a write went through, so the database is up again");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertTrue(rs.next());
      assertEquals("ok", rs.getString(1));
    }
  }
}
