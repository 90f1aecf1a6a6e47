package cn.legalkoi.chat;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web chat's API over real HTTP against the real service: the conversation core behind the first channel. */
class WebChatApiTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(dir), dir.resolve("data"))
        .put("chat", new JsonObject().put("maxMessagesPerMinute", 4));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  /** One browser: its cookie is its anonymous session. */
  private final class Owner {
    final WebClientSession client = WebClientSession.create(service.client);
    long seen;
    final List<JsonObject> lines = new ArrayList<>();

    HttpResponse<Buffer> send(JsonObject body) throws Exception {
      return await(client.post("/api/v1/chat/messages").sendJsonObject(body));
    }

    JsonObject say(String id, String text) throws Exception {
      HttpResponse<Buffer> r = send(new JsonObject().put("id", id).put("text", text));
      assertEquals(202, r.statusCode(), r.bodyAsString());
      return r.bodyAsJsonObject();
    }

    /** Waits (the server holds the request until a line arrives) for the next bot line. */
    JsonObject nextBotLine() throws Exception {
      for (int round = 0; round < 10; round++) {
        for (JsonObject line : fetch(true)) {
          if ("bot".equals(line.getString("author"))) {
            return line;
          }
        }
      }
      throw new AssertionError("no bot reply arrived; lines: " + lines);
    }

    List<JsonObject> fetch(boolean wait) throws Exception {
      HttpResponse<Buffer> r = await(client.get("/api/v1/chat/messages?after=" + seen + (wait ? "&wait=true" : ""))
          .send());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      List<JsonObject> fresh = new ArrayList<>();
      JsonArray messages = r.bodyAsJsonObject().getJsonArray("messages");
      for (int i = 0; i < messages.size(); i++) {
        JsonObject line = messages.getJsonObject(i);
        fresh.add(line);
        seen = Math.max(seen, line.getLong("id"));
      }
      lines.addAll(fresh);
      return fresh;
    }

    long count(String author) {
      return lines.stream().filter(l -> author.equals(l.getString("author"))).count();
    }
  }

  @Test
  @DisplayName("an owner's question is answered in the conversation with its legal basis and the guidance link")
  void answersInTheConversation() throws Exception {
    Owner owner = new Owner();
    assertFalse(owner.say("q-00000001", "员工没签书面劳动合同，老板要付二倍工资吗").getBoolean("duplicate"));
    JsonObject reply = owner.nextBotLine();
    assertEquals("answer", reply.getString("kind"), reply.encode());
    assertTrue(reply.getString("text").contains("《"), reply.getString("text"));
    assertTrue(reply.getString("text").contains("https://koi.example.test/guidance/double-wages"), reply.encode());
    assertEquals("员工没签书面劳动合同，老板要付二倍工资吗", owner.lines.get(0).getString("text"));
  }

  @Test
  @DisplayName("a message sent again with the same id is recognised and gets no second answer")
  void redeliveryIsNotAnsweredTwice() throws Exception {
    Owner owner = new Owner();
    assertFalse(owner.say("q-00000002", "第一次违法能不能不罚款").getBoolean("duplicate"));
    assertTrue(owner.say("q-00000002", "第一次违法能不能不罚款").getBoolean("duplicate"));
    owner.nextBotLine();
    owner.say("q-00000003", "你好");
    owner.nextBotLine();
    assertEquals(2, owner.count("owner"), "the repeated message is stored once: " + owner.lines);
    assertEquals(2, owner.count("bot"), "one answer per message: " + owner.lines);
  }

  @Test
  @DisplayName("each browser has its own conversation: another session sees none of it")
  void sessionsAreSeparate() throws Exception {
    Owner first = new Owner();
    first.say("q-00000004", "你好");
    first.nextBotLine();
    Owner second = new Owner();
    assertEquals(List.of(), second.fetch(false));
  }

  @Test
  @DisplayName("a flood from one sender: messages over the limit are kept unanswered and the sender is told once")
  void floodIsKeptButNotAnswered() throws Exception {
    Owner owner = new Owner();
    for (int i = 1; i <= 4; i++) {
      owner.say("flood-000" + i, "你好" + i);
      owner.nextBotLine();
    }
    owner.say("flood-0005", "第一次违法能不能不罚款");
    JsonObject notice = owner.nextBotLine();
    assertEquals("slow_down", notice.getString("kind"), notice.encode());
    owner.say("flood-0006", "员工没签书面劳动合同要付二倍工资吗");
    owner.say("flood-0007", "你好");
    // a later marker cannot be used (it would be limited too): read the stored states instead
    assertTrue(TestService.eventually(vertx, () -> countInbound("limited") == 3), "three messages kept as limited");
    owner.fetch(false);
    assertEquals(7, owner.count("owner"), "every message is kept for an adviser: " + owner.lines);
    assertEquals(5, owner.count("bot"), "four answers and one notice, nothing more: " + owner.lines);
  }

  @Test
  @DisplayName("bad input gets a clear 400 or 413 and stores nothing")
  void badInput() throws Exception {
    Owner owner = new Owner();
    assertEquals(400, owner.send(new JsonObject().put("text", "  ")).statusCode());
    assertEquals(400, owner.send(new JsonObject().put("text", "问".repeat(501))).statusCode());
    assertEquals(400, owner.send(new JsonObject().put("text", "你好").put("id", "../../etc")).statusCode());
    assertEquals(400, await(owner.client.post("/api/v1/chat/messages").sendBuffer(Buffer.buffer("{not json")))
        .statusCode());
    assertEquals(413, await(owner.client.post("/api/v1/chat/messages")
        .sendBuffer(Buffer.buffer("{\"text\":\"" + "x".repeat(5000) + "\"}"))).statusCode());
    assertEquals(400, await(owner.client.get("/api/v1/chat/messages?after=-1").send()).statusCode());
    assertEquals(List.of(), owner.fetch(false));
    assertEquals(0, countInbound("pending") + countInbound("answered"));
  }

  @Test
  @DisplayName("a message longer than the bot reads is kept and the owner asked to shorten it")
  void tooLongIsKept() throws Exception {
    Owner owner = new Owner();
    // the web chat refuses such a text at its edge; a platform message cannot be refused once acknowledged
    await(service.app.chat().conversations().receive(new InboundMessage(Channel.WEB, "long-1", ownerId(owner),
        ownerId(owner), InboundMessage.TEXT, "问".repeat(600), null, new JsonObject())));
    assertEquals("too_long", owner.nextBotLine().getString("kind"));
  }

  /** The owner id the service derived from this browser's cookie (it keeps only a hash of the token). */
  private String ownerId(Owner owner) throws Exception {
    owner.fetch(false);
    String token = owner.client.cookieStore().get(false, "127.0.0.1", "/").iterator().next().value();
    return "web-" + Digests.sha256Hex(Digests.utf8(token)).substring(0, 32);
  }

  @Test
  @DisplayName("a number with no numbered list before it picks nothing and says so")
  void numberWithoutPrompt() throws Exception {
    Owner owner = new Owner();
    owner.say("pick-0001", "3");
    assertEquals("no_choice", owner.nextBotLine().getString("kind"));
  }

  @Test
  @DisplayName("a message recorded but unanswered when the process died is answered after the restart")
  void answeredAfterRestart() throws Exception {
    Owner owner = new Owner();
    owner.say("q-00000010", "你好");
    owner.nextBotLine();
    service.close();
    service = null;
    // what a kill between the durable record and the answer leaves behind
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        PreparedStatement st = c.prepareStatement("INSERT INTO inbound (channel, message_id, conversation_id, type,"
            + " text, state, received_at) SELECT 'web', 'crash-1', id, 'text', '第一次违法能不能不罚款', 'pending', 0"
            + " FROM conversations")) {
      assertEquals(1, st.executeUpdate());
    }
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"),
        TestService.config(dir.resolve("kb"), dir.resolve("data")));
    Owner same = new Owner();
    same.client.cookieStore().put(owner.client.cookieStore().get(false, "127.0.0.1", "/").iterator().next());
    same.seen = owner.seen;
    JsonObject reply = same.nextBotLine();
    assertEquals("answer", reply.getString("kind"), reply.encode());
    assertEquals(0, countInbound("pending"));
  }

  private int countInbound(String state) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        PreparedStatement st = c.prepareStatement("SELECT count(*) FROM inbound WHERE state = ?")) {
      st.setString(1, state);
      try (var rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : -1;
      }
    }
  }
}
