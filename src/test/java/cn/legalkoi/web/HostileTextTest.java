package cn.legalkoi.web;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bytes that are not UTF-8 are refused; text that merely looks like SQL or a formula is kept as the text it is. */
class HostileTextTest {
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


  /** {"question":"罚款" followed by a lone continuation byte and an overlong encoding}. */
  private static Buffer invalidUtf8(String key) {
    Buffer body = Buffer.buffer("{\"" + key + "\":\"罚款");
    body.appendBytes(new byte[] {(byte) 0x80, (byte) 0xC0, (byte) 0xAF});
    return body.appendString("\"}");
  }

  @Test
  @DisplayName("a body that is not UTF-8 gets 400 on the ask API and the web chat, and nothing is stored")
  void invalidUtf8IsRefused() throws Exception {
    HttpResponse<Buffer> ask = await(service.client.post("/api/v1/ask")
        .putHeader("Content-Type", "application/json").sendBuffer(invalidUtf8("question")));
    assertEquals(400, ask.statusCode(), ask.bodyAsString());
    HttpResponse<Buffer> chat = await(WebClientSession.create(service.client).post("/api/v1/chat/messages")
        .putHeader("Content-Type", "application/json").sendBuffer(invalidUtf8("text")));
    assertEquals(400, chat.statusCode(), chat.bodyAsString());
    assertEquals(0, service.count("SELECT count(*) FROM inbound"));
    assertEquals(0, service.count("SELECT count(*) FROM transcript"));
  }

  @Test
  @DisplayName("a message that looks like SQL or a spreadsheet formula is stored and shown as the text it is")
  void textThatLooksLikeCode() throws Exception {
    String text = "'); DROP TABLE tickets; -- =HYPERLINK(\"http://x\") 第一次违规能不能不罚款";
    WebClientSession owner = WebClientSession.create(service.client);
    assertEquals(202, await(owner.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "hostile-0001").put("text", text))).statusCode());
    assertTrue(TestService.eventually(vertx, () -> service.count("SELECT count(*) FROM transcript WHERE author = 'bot'") == 1));
    JsonObject lines = await(owner.get("/api/v1/chat/messages?after=0").send()).bodyAsJsonObject();
    assertEquals(text, lines.getJsonArray("messages").getJsonObject(0).getString("text"));
    // the statement did not run: the table is there (a missing table would fail the query)
    assertTrue(service.count("SELECT count(*) FROM tickets") >= 0);
    assertEquals(1, service.count("SELECT count(*) FROM inbound WHERE text = '" + text.replace("'", "''") + "'"));
  }

  @Test
  @DisplayName("a flood from one network address on the web chat gets 429 with Retry-After past the limit, and what"
      + " was refused is not stored")
  void floodFromOneAddress() throws Exception {
    service.close();
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("chat", new JsonObject().put("webRequestsPerMinute", 5));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
    int accepted = 0;
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 8; i++) {
      // a new session each time: the limit is the address's, not the browser's
      last = await(WebClientSession.create(service.client).post("/api/v1/chat/messages")
          .sendJsonObject(new JsonObject().put("id", "flood-00000" + i).put("text", "罚款能分期吗")));
      if (last.statusCode() == 202) {
        accepted++;
      } else {
        assertEquals(429, last.statusCode(), last.bodyAsString());
        assertTrue(Long.parseLong(last.getHeader("Retry-After")) > 0);
      }
    }
    assertEquals(5, accepted);
    assertEquals(5, service.count("SELECT count(*) FROM inbound"));
  }
}
