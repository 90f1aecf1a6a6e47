package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuilding the index while it serves, the drop guard, and reuse of the index across restarts. */
class ReindexTest {
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
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  private JsonObject reindex(String token, boolean force) throws Exception {
    HttpResponse<Buffer> started = await(service.client.post("/api/v1/admin/reindex" + (force ? "?force=true" : ""))
        .putHeader("Authorization", "Bearer " + token).send());
    assertEquals(202, started.statusCode(), started.bodyAsString("UTF-8"));
    String jobId = started.bodyAsJsonObject().getString("jobId");
    await(service.app.index().job(jobId).orElseThrow().finished());
    HttpResponse<Buffer> status = await(service.client.get("/api/v1/admin/reindex/" + jobId)
        .putHeader("Authorization", "Bearer " + token).send());
    assertEquals(200, status.statusCode());
    return status.bodyAsJsonObject();
  }

  private JsonObject health() throws Exception {
    return await(service.client.get("/health").send()).bodyAsJsonObject();
  }


  @Test
  @DisplayName("every search running during two reindexes succeeds, and the new documents are live afterwards")
  void searchesDuringReindex() throws Exception {
    String token = service.adminToken();
    addGuidanceFile(service.knowledgeBase, "added-during-load");
    List<Future<HttpResponse<Buffer>>> searches = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      String jobId = await(service.client.post("/api/v1/admin/reindex").putHeader("Authorization", "Bearer " + token)
          .send()).bodyAsJsonObject().getString("jobId");
      Future<?> finished = service.app.index().job(jobId).orElseThrow().finished();
      while (!finished.isComplete() || searches.size() < 300 * (round + 1)) {
        List<Future<HttpResponse<Buffer>>> wave = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          wave.add(service.client.get("/api/v1/search?q=%E7%BD%9A%E6%AC%BE&limit=5").send());
        }
        await(Future.all(wave));
        searches.addAll(wave);
      }
    }
    assertTrue(searches.size() >= 600, "searches: " + searches.size());
    for (Future<HttpResponse<Buffer>> f : searches) {
      assertEquals(200, f.result().statusCode(), f.result().bodyAsString("UTF-8"));
      assertFalse(f.result().bodyAsJsonObject().getJsonArray("results").isEmpty());
    }
    assertEquals(4 + 3, health().getJsonObject("index").getInteger("documents"), "4 guidance + 3 statute files");
    assertEquals(15, health().getJsonObject("index").getInteger("passages"));
  }

  @Test
  @DisplayName("a reindex asked for after a file change runs after the running one, so it reads the new file")
  void reindexAfterChangeWaitsForTheRunningOne() throws Exception {
    var running = service.app.index().startReindex(true);
    addGuidanceFile(service.knowledgeBase, "added-after-start");
    var afterChange = service.app.index().startReindexAfterChange();
    assertNotEquals(running.id(), afterChange.id());
    await(running.finished());
    var done = await(afterChange.finished());
    assertEquals("done", done.toJson().getString("state"), done.toJson().encodePrettily());
    assertEquals(4 + 3, health().getJsonObject("index").getInteger("documents"), "4 guidance + 3 statute files");
  }

  @Test
  @DisplayName("a reindex that would drop too much is refused with a reason; the old index keeps serving until forced")
  void dropGuard() throws Exception {
    String token = service.adminToken();
    Files.delete(service.knowledgeBase.resolve("guidance/penalty/fine-instalments.md"));
    Files.delete(service.knowledgeBase.resolve("guidance/labor/double-wages.md"));
    try (var list = Files.list(service.knowledgeBase.resolve("statutes"))) {
      for (Path p : list.toList()) {
        Files.delete(p);
      }
    }
    JsonObject refused = reindex(token, false);
    assertEquals("failed", refused.getString("state"));
    assertTrue(refused.getString("error").contains("drop"), refused.encodePrettily());
    assertEquals(14, health().getJsonObject("index").getInteger("passages"), "old index still serves");
    assertEquals(200, await(service.client.get("/api/v1/search?q=x").send()).statusCode());

    JsonObject forced = reindex(token, true);
    assertEquals("done", forced.getString("state"), forced.encodePrettily());
    assertEquals(1, health().getJsonObject("index").getInteger("passages"));
  }

  @Test
  @DisplayName("the job status lists every skipped file with its reason")
  void jobListsSkippedFiles() throws Exception {
    Files.writeString(service.knowledgeBase.resolve("guidance/broken.md"), "---\nid: broken\n", StandardCharsets.UTF_8);
    JsonObject job = reindex(service.adminToken(), false);
    assertEquals("done", job.getString("state"));
    assertEquals(1, job.getJsonArray("skipped").size());
    JsonObject skipped = job.getJsonArray("skipped").getJsonObject(0);
    assertTrue(skipped.getString("path").endsWith("broken.md"));
    assertTrue(skipped.getString("reason").contains("front matter"));
  }

  @Test
  @DisplayName("a restart reuses an index that is up to date, and rebuilds one whose files changed")
  void restartReusesIndex() throws Exception {
    Path pointer = service.dataDir.resolve("index/CURRENT");
    String generation = Files.readString(pointer, StandardCharsets.UTF_8);
    service.close();
    service = null;
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"));
    assertTrue(service.app.startupJob().isEmpty(), "no rebuild when nothing changed");
    assertEquals(generation, Files.readString(pointer, StandardCharsets.UTF_8));
    assertEquals("UP", health().getString("status"));

    service.close();
    service = null;
    addGuidanceFile(dir.resolve("kb"), "added-while-down");
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"));
    assertTrue(service.app.startupJob().isPresent(), "changed files are rebuilt at start-up");
    assertNotEquals(generation, Files.readString(pointer, StandardCharsets.UTF_8));
    assertEquals(15, health().getJsonObject("index").getInteger("passages"));
  }

  private static void addGuidanceFile(Path kb, String id) throws Exception {
    String text = Files.readString(kb.resolve("guidance/penalty/first-offence.md"), StandardCharsets.UTF_8)
        .replace("id: first-offence", "id: " + id);
    Files.writeString(kb.resolve("guidance/penalty/" + id + ".md"), text, StandardCharsets.UTF_8);
  }
}
