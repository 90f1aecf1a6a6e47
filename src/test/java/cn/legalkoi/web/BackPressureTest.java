package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.search.SearchAdmission;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load above what the search pool may queue: API requests past it get 503 with Retry-After (never a 500), chat
 * messages are accepted and answered once capacity returns, and the service serves normally afterwards.
 */
class BackPressureTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  WebClient wide;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    wide = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(service.app.port()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(100));
  }

  @AfterEach
  void stop() throws Exception {
    wide.close();
    service.close();
    await(vertx.close());
  }


  @Test
  @DisplayName("over capacity: asks get 200 or 503 with Retry-After, chat messages are all answered later, and the"
      + " service recovers without a restart")
  void aboveCapacity() throws Exception {
    // a queue of one waiting search: 80 asks at once are well above it
    service.app.index().limitQueue(new SearchAdmission(1, Duration.ofSeconds(5)));
    List<Future<HttpResponse<Buffer>>> asks = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> messages = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      asks.add(wide.post("/api/v1/ask").sendJsonObject(new JsonObject().put("question", "第一次违规能不能不罚款")));
      if (i % 8 == 0) {
        messages.add(WebClientSession.create(wide).post("/api/v1/chat/messages")
            .sendJsonObject(new JsonObject().put("id", "busy-000000" + i).put("text", "员工没签合同要赔钱吗")));
      }
    }
    await(Future.join(new ArrayList<Future<?>>(asks)));
    int ok = 0;
    int busy = 0;
    for (Future<HttpResponse<Buffer>> f : asks) {
      HttpResponse<Buffer> r = f.result();
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertEquals("busy", r.bodyAsJsonObject().getString("error"));
        assertTrue(Long.parseLong(r.getHeader("Retry-After")) > 0);
        busy++;
      }
    }
    assertTrue(busy > 0, "the load was above capacity: " + ok + " answered, " + busy + " refused");
    assertTrue(ok > 0, "and some were answered: " + ok);

    await(Future.join(new ArrayList<Future<?>>(messages)));
    for (Future<HttpResponse<Buffer>> m : messages) {
      assertEquals(202, m.result().statusCode(), "a chat message is accepted whatever the load");
    }
    assertTrue(TestService.eventually(vertx, () -> service.count("SELECT count(*) FROM inbound WHERE state = 'answered'")
        == messages.size()), "every message answered once capacity returned");
    assertEquals(messages.size(), service.count("SELECT count(*) FROM transcript WHERE author = 'bot'"), "each once");

    HttpResponse<Buffer> after = await(wide.post("/api/v1/ask")
        .sendJsonObject(new JsonObject().put("question", "第一次违规能不能不罚款")));
    assertEquals(200, after.statusCode(), "served again without a restart");
  }
}
