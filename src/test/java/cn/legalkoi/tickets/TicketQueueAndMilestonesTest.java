package cn.legalkoi.tickets;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

/** The running service with one owner's ticket, opened through the web chat: what advisers see of it. */
class TicketQueueAndMilestonesTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  String admin;
  long ticket;
  String department;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    admin = service.adminToken();
    WebClientSession owner = WebClientSession.create(service.client);
    assertEquals(202, await(owner.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "message-0001").put("text", "我要找人工"))).statusCode());
    assertTrue(TestService.eventually(vertx, () -> count("SELECT count(*) FROM tickets") == 1));
    JsonObject t = call(HttpMethod.GET, "/api/v1/tickets/1", admin, null).bodyAsJsonObject();
    ticket = t.getLong("id");
    department = t.getString("department");
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(method, path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private Connection database() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=5000");
    }
    return c;
  }

  private long count(String sql) throws Exception {
    try (Connection c = database(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Test
  @DisplayName("a complex ticket given feedback and then made simple is not settled: settle is met only by resolving")
  void feedbackDoesNotSettleASimpleTicket() throws Exception {
    String base = "/api/v1/tickets/" + ticket;
    assertEquals(200, call(HttpMethod.POST, base + "/complexity", admin,
        new JsonObject().put("complexity", "complex")).statusCode());
    assertEquals(201, call(HttpMethod.POST, base + "/replies", admin,
        new JsonObject().put("text", "初步意见：请先准备营业执照和合同。").put("feedback", true)).statusCode());
    JsonObject complex = call(HttpMethod.GET, base, admin, null).bodyAsJsonObject();
    assertNotNull(complex.getJsonObject("met").getString("feedback"), "feedback meets the complex milestone");

    JsonObject simple = call(HttpMethod.POST, base + "/complexity", admin,
        new JsonObject().put("complexity", "simple")).bodyAsJsonObject();
    assertEquals("claimed", simple.getString("status"));
    assertNull(simple.getJsonObject("met").getString("settle"), "not resolved, so not settled: " + simple);

    JsonObject again = call(HttpMethod.POST, base + "/complexity", admin,
        new JsonObject().put("complexity", "complex")).bodyAsJsonObject();
    assertEquals(complex.getJsonObject("met").getString("feedback"), again.getJsonObject("met").getString("feedback"),
        "made complex again, the feedback already given still counts");
  }
}
