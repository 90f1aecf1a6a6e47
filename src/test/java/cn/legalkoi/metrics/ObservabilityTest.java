package cn.legalkoi.metrics;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.logging.LogFormat;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.LogCapture;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Metrics on their own listener, the health report, and the log lines, against the real service. */
class ObservabilityTest {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService service;
  static WebClient metricsClient;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    metricsClient = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(service.app.metricsPort().orElseThrow()));
  }

  @AfterAll
  static void stop() throws Exception {
    metricsClient.close();
    service.close();
    await(vertx.close());
  }

  private static String scrape() throws Exception {
    HttpResponse<Buffer> r = await(metricsClient.get("/metrics").send());
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
    return r.bodyAsString();
  }

  @Test
  @DisplayName("/metrics serves the Prometheus text format on its own port: requests by route template, answers by"
      + " kind, tickets by status, the outbox, deadlines and the JVM")
  void metricsOnTheirOwnPort() throws Exception {
    assertTrue(service.app.metricsPort().orElseThrow() != service.app.port());
    await(service.client.get("/health").send());
    await(service.client.get("/api/v1/tickets/12345").send());
    await(service.client.post("/api/v1/ask").sendJsonObject(new JsonObject().put("question", "第一次违法会被罚款吗")));
    assertTrue(TestService.eventually(vertx, () -> scrape().contains("route=\"/api/v1/ask\"")));
    String text = scrape();
    assertTrue(text.contains("# TYPE legal_koi_http_requests_seconds histogram"), text);
    assertTrue(text.matches("(?s).*legal_koi_http_requests_seconds_count\\{[^}]*channel=\"none\",method=\"GET\","
        + "route=\"/health\",status=\"200\"} [1-9].*"), text);
    assertTrue(text.contains("route=\"/api/v1/tickets/:id\""), "the template, not the path: " + text);
    assertFalse(text.contains("12345"), "no raw path or id in a label");
    assertTrue(text.matches("(?s).*legal_koi_answers_total\\{kind=\"[a-z_]+\"} 1\\.0.*"), text);
    for (String name : List.of("legal_koi_tickets{status=\"open\"}", "legal_koi_outbox_pending ",
        "legal_koi_outbox_failed ", "legal_koi_outbox_oldest_pending_age_seconds ",
        "legal_koi_deadlines{state=\"breached\"}", "legal_koi_reindex_seconds_count{outcome=\"done\"} 1",
        "jvm_memory_used_bytes{", "jvm_threads_live_threads ", "jvm_gc_")) {
      assertTrue(text.contains(name), name + " in\n" + text);
    }
  }

  @Test
  @DisplayName("the public port has no /metrics: 404")
  void noMetricsOnThePublicPort() throws Exception {
    HttpResponse<Buffer> r = await(service.client.get("/metrics").send());
    assertEquals(404, r.statusCode());
    assertFalse(r.bodyAsString().contains("jvm_"));
  }

  @Test
  @DisplayName("/health reports the index, the database, the outbox's backlog, each channel and the calendar")
  void healthParts() throws Exception {
    HttpResponse<Buffer> r = await(service.client.get("/health").send());
    assertEquals(200, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("UP", body.getString("status"));
    assertEquals("UP", body.getJsonObject("index").getString("status"));
    assertEquals("UP", body.getJsonObject("database").getString("status"));
    JsonObject outbox = body.getJsonObject("outbox");
    assertEquals(0L, outbox.getLong("pending"));
    assertEquals(0L, outbox.getLong("oldestPendingAgeSeconds"));
    assertEquals(0L, outbox.getLong("failed"));
    JsonObject channels = body.getJsonObject("channels");
    assertTrue(channels.getJsonObject("web").getBoolean("enabled"));
    assertFalse(channels.getJsonObject("dingtalk").getBoolean("enabled"), "no credentials: off");
    assertFalse(channels.getJsonObject("wecom").getBoolean("enabled"));
    assertTrue(body.containsKey("calendar"));
  }

  @Test
  @DisplayName("each request gets an X-Request-Id (the caller's when plain, a new one otherwise) that its log line"
      + " carries, as one JSON object")
  void requestIdsInLogLines() throws Exception {
    LogFormat.logAccess(true);
    try (LogCapture log = new LogCapture()) {
      HttpResponse<Buffer> given = await(service.client.get("/health").putHeader("X-Request-Id", "req-abc.42").send());
      assertEquals("req-abc.42", given.getHeader("X-Request-Id"));
      HttpResponse<Buffer> forged = await(service.client.get("/health")
          .putHeader("X-Request-Id", "bad\"id {with} spaces").send());
      String generated = forged.getHeader("X-Request-Id");
      assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
      assertTrue(TestService.eventually(vertx, () -> log.text().contains(generated)));
      assertTrue(TestService.eventually(vertx, () -> log.text().contains("\"requestId\":\"req-abc.42\"")));
      JsonObject line = Arrays.stream(log.text().split("\n")).filter(l -> l.contains("req-abc.42"))
          .map(JsonObject::new).findFirst().orElseThrow();
      assertEquals("INFO", line.getString("level"));
      assertEquals(LogFormat.ACCESS_LOGGER, line.getString("logger"));
      assertEquals("GET /health 200", line.getString("message").replaceAll(" \\d+ ms$", ""));
      assertTrue(line.getString("time").endsWith("Z"), line.getString("time"));
    } finally {
      LogFormat.logAccess(false);
    }
  }

  @Test
  @DisplayName("with metrics off no listener opens; with the database gone /health is 503 DEGRADED, database DOWN")
  void metricsOffAndDatabaseDown(@TempDir Path other) throws Exception {
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(other), other.resolve("data"))
        .put("metrics", new JsonObject().put("enabled", false));
    try (TestService quiet = TestService.start(vertx, other.resolve("kb"), other.resolve("data"), config)) {
      assertTrue(quiet.app.metricsPort().isEmpty());
      assertEquals(404, await(quiet.client.get("/metrics").send()).statusCode());
      assertEquals("UP", await(quiet.client.get("/health").send()).bodyAsJsonObject().getString("status"));

      await(vertx.executeBlocking(() -> {
        quiet.app.database().close();
        return null;
      }));
      // a probe is shared for a second: the next one after that sees the database gone
      assertTrue(TestService.eventually(vertx, () -> await(quiet.client.get("/health").send()).statusCode() == 503));
      HttpResponse<Buffer> r = await(quiet.client.get("/health").send());
      assertEquals(503, r.statusCode());
      JsonObject body = r.bodyAsJsonObject();
      assertEquals("DEGRADED", body.getString("status"));
      assertEquals("DOWN", body.getJsonObject("database").getString("status"));
      assertEquals("UP", body.getJsonObject("index").getString("status"));
      assertFalse(body.containsKey("outbox"), "no backlog without a database");
    }
  }

  @Test
  @DisplayName("a mobile number in a logged message comes out masked, longer digit runs are left alone")
  void mobileNumbersMasked() throws Exception {
    try (LogCapture log = new LogCapture()) {
      LoggerFactory.getLogger(ObservabilityTest.class).warn("owner left 13812345678 and order 2026112913812345678");
      String line = Arrays.stream(log.text().split("\n")).filter(l -> l.contains("owner left")).findFirst()
          .orElseThrow();
      assertEquals("owner left 138****5678 and order 2026112913812345678",
          new JsonObject(line).getString("message"));
    }
  }
}
