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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

  @Test
  @DisplayName("an adviser sees their department's ticket even when more than a queue's worth of other departments'"
      + " tickets are due sooner")
  void queueIsTheAdvisersOwn() throws Exception {
    HttpResponse<Buffer> created = call(HttpMethod.POST, "/api/v1/admin/users", admin, new JsonObject()
        .put("username", "wang.wu").put("password", "adviser-password-1").put("role", "adviser")
        .put("departments", new JsonArray().add(department)));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    String adviser = service.login("wang.wu", "adviser-password-1");
    assertEquals(201, call(HttpMethod.POST, "/api/v1/admin/departments", admin,
        new JsonObject().put("name", "其他部门")).statusCode());
    try (Connection c = database()) {
      c.setAutoCommit(false);
      try (PreparedStatement conversation = c.prepareStatement("INSERT INTO conversations (channel, user_id,"
          + " conversation_key, reply_target, created_at, updated_at) VALUES ('web', ?, ?, '{}', 0, 0)",
          Statement.RETURN_GENERATED_KEYS);
          PreparedStatement other = c.prepareStatement("INSERT INTO tickets (conversation_id, channel, user_id,"
              + " status, question, reason, complexity, department, opened_at, first_line_id, respond_due, final_due,"
              + " owner_wrote_at, updated_at) VALUES (?, 'web', ?, 'open', '问题', 'asked_for_person', 'simple',"
              + " '其他部门', 1, 0, 2, 3, 1, 1)")) {
        for (int i = 0; i < 600; i++) {
          String user = "other-owner-" + i;
          conversation.setString(1, user);
          conversation.setString(2, user);
          conversation.executeUpdate();
          long id;
          try (ResultSet keys = conversation.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
          other.setLong(1, id);
          other.setString(2, user);
          other.executeUpdate();
        }
      }
      c.commit();
    }
    JsonArray queue = call(HttpMethod.GET, "/api/v1/tickets", adviser, null).bodyAsJsonObject()
        .getJsonArray("tickets");
    assertEquals(1, queue.size(), "the adviser's own ticket: " + queue.size());
    assertEquals(ticket, queue.getJsonObject(0).getLong("id"));
  }
}
