package cn.legalkoi.faults;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reindex that cannot write its new Lucene generation, as on a full disk: the write fails with an I/O error. Made
 * without root (a read-only directory does not stop root) by putting a plain file where the index directory was,
 * after moving the directory aside: the generation being served keeps its open files, a new one cannot be created.
 */
class IndexUnwritableTest {
  private static final String QUERY = "/api/v1/search?q=%E7%BD%9A%E6%AC%BE&limit=5";

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

  @Test
  @DisplayName("a reindex that cannot write the new index fails with the reason, the old index keeps answering the"
      + " same, and once the directory can be written again a reindex succeeds without a restart")
  void failedWriteKeepsTheOldIndex() throws Exception {
    String token = service.adminToken();
    String before = search();
    Path index = service.dataDir.resolve("index");
    Path aside = service.dataDir.resolve("index-aside");
    Files.move(index, aside);
    Files.writeString(index, "not a directory", StandardCharsets.UTF_8);

    JsonObject failed = reindex(token);
    assertEquals("failed", failed.getString("state"), failed.encode());
    assertTrue(failed.getString("error").contains("index"), failed.encode());
    assertEquals(before, search(), "the old index answers as before");
    JsonObject health = await(service.client.get("/health").send()).bodyAsJsonObject();
    assertEquals("UP", health.getJsonObject("index").getString("status"));
    assertEquals(14, health.getJsonObject("index").getInteger("passages"));

    Files.delete(index);
    Files.move(aside, index);
    JsonObject done = reindex(token);
    assertEquals("done", done.getString("state"), done.encode());
    assertEquals(before, search(), "the rebuilt index answers the same");
  }

  private String search() throws Exception {
    HttpResponse<Buffer> r = await(service.client.get(QUERY).send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertFalse(r.bodyAsJsonObject().getJsonArray("results").isEmpty());
    return r.bodyAsJsonObject().getJsonArray("results").encode();
  }

  private JsonObject reindex(String token) throws Exception {
    HttpResponse<Buffer> started = await(service.client.post("/api/v1/admin/reindex?force=true")
        .putHeader("Authorization", "Bearer " + token).send());
    assertEquals(202, started.statusCode(), started.bodyAsString());
    String jobId = started.bodyAsJsonObject().getString("jobId");
    return await(service.app.index().job(jobId).orElseThrow().finished()).toJson();
  }
}
