package cn.legalkoi.faults;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.ServiceProcess;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as its own process, killed with SIGKILL in the middle of a burst of owners' messages and started
 * again on the same data: every message it acknowledged is answered, none twice, and every ticket is there.
 */
class KillAndRestartTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Process process;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }

  /** Starts the service in a new JVM on the test's data; its port once it listens and its index serves. */
  private int serve(Path config) throws Exception {
    ServiceProcess service = ServiceProcess.start(vertx, config);
    process = service.process();
    return service.port();
  }

  private long count(String sql) throws Exception {
    return ServiceProcess.count(dir.resolve("data"), sql);
  }

  @Test
  @DisplayName("SIGKILL during a burst, then a restart: every acknowledged message is answered exactly once and"
      + " every ticket is there")
  void killedMidBurst() throws Exception {
    Fixtures.copyKnowledgeBase(dir);
    Path config = dir.resolve("config.json");
    Files.writeString(config, TestService.config(dir.resolve("kb"), dir.resolve("data")).encode(),
        StandardCharsets.UTF_8);
    int port = serve(config);
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(32));
    // 120 owners each send one message (every fourth asks for a person); the process is killed part-way
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String text = i % 4 == 0 ? "我要找人工" : "员工没签合同要赔钱吗";
      sent.add(client.post("/api/v1/chat/messages").putHeader("Cookie", "koi_chat=ownerTokenForKillTest0000000" + (1000 + i))
          .sendJsonObject(new JsonObject().put("id", "kill-test-" + (1000 + i)).put("text", text)));
      if (i == 39) {
        // the first 40 are acknowledged (and some answered) before the rest are sent and the process is killed
        await(Future.join(new ArrayList<Future<?>>(sent)).transform(r -> Future.succeededFuture()));
      }
    }
    process.destroyForcibly();
    await(Future.join(new ArrayList<Future<?>>(sent)).transform(r -> Future.succeededFuture()));
    process.waitFor(30, TimeUnit.SECONDS);
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      if (sent.get(i).succeeded() && sent.get(i).result().statusCode() == 202) {
        acknowledged.add("kill-test-" + (1000 + i));
      }
    }
    client.close();
    assertTrue(acknowledged.size() > 0 && acknowledged.size() < 120,
        "the kill landed in the burst: " + acknowledged.size() + " acknowledged");

    assertTrue(count("SELECT count(*) FROM inbound WHERE state = 'pending'") > 0,
        "the kill caught messages acknowledged but not yet answered");
    serve(config);
    assertTrue(TestService.eventually(vertx, () -> count("SELECT count(*) FROM inbound WHERE state = 'pending'") == 0),
        "what was acknowledged before the kill is answered after the restart");
    for (String id : acknowledged) {
      assertEquals(1, count("SELECT count(*) FROM inbound WHERE message_id LIKE '%/" + id + "'"), id);
    }
    long inbound = count("SELECT count(*) FROM inbound");
    assertTrue(inbound >= acknowledged.size(), "every acknowledged message was recorded");
    assertEquals(inbound, count("SELECT count(*) FROM transcript WHERE author = 'bot'"),
        "one answer per recorded message, none twice");
    assertEquals(count("SELECT count(*) FROM inbound i JOIN transcript t ON t.conversation_id = i.conversation_id"
        + " AND t.author = 'owner' AND t.text = '我要找人工'"), count("SELECT count(*) FROM tickets"),
        "a ticket for every recorded request for a person");
  }
}
