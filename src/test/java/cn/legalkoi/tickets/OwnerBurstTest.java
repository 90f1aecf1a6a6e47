package cn.legalkoi.tickets;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An owner's messages sent in a burst are answered in order, one after the other, in their conversation. */
class OwnerBurstTest {
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

  private List<String> botKinds() throws Exception {
    List<String> kinds = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT kind FROM transcript WHERE author = 'bot' ORDER BY id")) {
      while (rs.next()) {
        kinds.add(rs.getString(1));
      }
    }
    return kinds;
  }

  private static cn.legalkoi.chat.InboundMessage text(String user, String id, String text) {
    return new cn.legalkoi.chat.InboundMessage(cn.legalkoi.chat.Channel.WEB, user + "/" + id, user, user,
        cn.legalkoi.chat.InboundMessage.TEXT, text, null, new JsonObject());
  }

  /** The web chat owner of the one conversation so far. */
  private String userOf() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT user_id FROM conversations")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  @DisplayName("“人工” and a phone number sent at once: the ticket opens first and the number is recorded on it,"
      + " with no bot answer to the number")
  void burstIsAnsweredInOrder() throws Exception {
    WebClientSession owner = WebClientSession.create(service.client);
    await(owner.post("/api/v1/chat/messages").sendJsonObject(new JsonObject().put("id", "warm-up-0001")
        .put("text", "你好")));
    assertTrue(TestService.eventually(vertx, () -> botKinds().size() == 1));
    // both arrive before either is answered, as a platform delivers a burst
    String user = userOf();
    cn.legalkoi.chat.Conversations conversations = service.app.chat().conversations();
    io.vertx.core.Promise<Void> both = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> Future.all(
        conversations.receive(text(user, "burst-000001", "我要找人工")),
        conversations.receive(text(user, "burst-000002", "13800001111 衢州某某餐饮有限公司")))
        .<Void>mapEmpty().onComplete(both));
    await(both.future());
    assertTrue(TestService.eventually(vertx, () -> botKinds().size() == 3), "kinds: " + botKinds());
    assertEquals(List.of("smalltalk", "escalate", "contact_saved"), botKinds());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT phone, enterprise FROM tickets")) {
      assertTrue(rs.next());
      assertEquals("13800001111", rs.getString(1));
      assertEquals("衢州某某餐饮有限公司", rs.getString(2));
    }

    // asking for a person again while the ticket is open joins it: no second ticket, no second promise
    await(owner.post("/api/v1/chat/messages").sendJsonObject(new JsonObject().put("id", "again-000001")
        .put("text", "人工")));
    assertTrue(TestService.eventually(vertx, () -> botKinds().size() == 4), "kinds: " + botKinds());
    assertEquals("acknowledged", botKinds().get(3));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), min(status) FROM tickets")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }
}
