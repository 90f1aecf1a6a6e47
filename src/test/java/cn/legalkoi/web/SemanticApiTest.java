package cn.legalkoi.web;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service with in-process embeddings on: hybrid search, its health, and the vector cache across reindexes. */
class SemanticApiTest {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService service;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    Path kb = Fixtures.copyKnowledgeBase(dir);
    JsonObject config = TestService.config(kb, dir.resolve("data"));
    config.getJsonObject("search").put("semantic", new JsonObject().put("enabled", true));
    service = TestService.start(vertx, kb, dir.resolve("data"), config);
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private static JsonArray search(String q, String kind) throws Exception {
    HttpResponse<Buffer> r = await(service.client.get("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
        + (kind == null ? "" : "&kind=" + kind)).send());
    assertEquals(200, r.statusCode(), r.bodyAsString("UTF-8"));
    return r.bodyAsJsonObject().getJsonArray("results");
  }

  @Test
  @DisplayName("/health says semantic retrieval is ready once the vectors are built")
  void healthReady() throws Exception {
    JsonObject index = await(service.client.get("/health").send()).bodyAsJsonObject().getJsonObject("index");
    assertEquals("ready", index.getString("semantic"));
    assertEquals(14, index.getInteger("passages"));
  }

  @Test
  @DisplayName("a question in other words than the guidance still finds it by meaning")
  void findsByMeaning() throws Exception {
    JsonArray results = search(Fixtures.PARAPHRASE, "guidance");
    assertEquals("double-wages", results.getJsonObject(0).getString("docId"), results.encodePrettily());
  }

  @Test
  @DisplayName("hybrid results keep the kind filter, the newest version only, and a named article first")
  void keepsRules() throws Exception {
    JsonArray statutes = search(Fixtures.PARAPHRASE, "statute");
    assertFalse(statutes.isEmpty(), "the paraphrase finds statute passages");
    for (Object o : statutes) {
      assertEquals("statute", ((JsonObject) o).getString("kind"));
      assertTrue(!((JsonObject) o).getString("snippet").contains("旧版"), o.toString());
    }
    assertEquals("行政处罚法#33", search("处罚法33条", null).getJsonObject(0).getString("docId"));
  }

  @Test
  @DisplayName("a reindex of unchanged files embeds nothing again: every vector comes from the cache")
  void reindexUsesCache() throws Exception {
    String token = service.adminToken();
    HttpResponse<Buffer> started = await(service.client.post("/api/v1/admin/reindex?force=true")
        .putHeader("Authorization", "Bearer " + token).send());
    String jobId = started.bodyAsJsonObject().getString("jobId");
    await(service.app.index().job(jobId).orElseThrow().finished());
    JsonObject job = await(service.client.get("/api/v1/admin/reindex/" + jobId)
        .putHeader("Authorization", "Bearer " + token).send()).bodyAsJsonObject();
    assertEquals("done", job.getString("state"), job.encodePrettily());
    assertEquals(0, job.getJsonObject("embedding").getInteger("embedded"), job.encodePrettily());
    assertEquals(14, job.getJsonObject("embedding").getInteger("cached"), job.encodePrettily());
  }
}
