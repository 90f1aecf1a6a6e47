package cn.legalkoi.chat;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.PostgresCluster;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service nodes in this JVM (each with its own Vert.x, data directory and index) on one PostgreSQL database,
 * as behind a load balancer: what happens on one reaches the other.
 */
class TwoNodesSignalsTest {
  private static final String COOKIE = "koi_chat=ownerTokenForTwoNodeSignals00001";

  @TempDir
  Path dir;
  Vertx vertxA;
  Vertx vertxB;
  TestService nodeA;
  TestService nodeB;

  @BeforeEach
  void start() throws Exception {
    Path kb = Fixtures.copyKnowledgeBase(dir);
    JsonObject database = PostgresCluster.shared().newDatabaseConfig();
    vertxA = TestVertx.create();
    vertxB = TestVertx.create();
    nodeA = TestService.start(vertxA, kb, dir.resolve("a"), TestService.config(kb, dir.resolve("a"))
        .put("database", database));
    nodeB = TestService.start(vertxB, kb, dir.resolve("b"), TestService.config(kb, dir.resolve("b"))
        .put("database", database));
  }

  @AfterEach
  void stop() throws Exception {
    nodeA.close();
    nodeB.close();
    await(vertxA.close());
    await(vertxB.close());
  }

  @Test
  @DisplayName("an owner's browser long-polling node B sees the answer to the message it posted through node A")
  void webChatLinesCrossNodes() throws Exception {
    Future<HttpResponse<Buffer>> waiting = nodeB.client.get("/api/v1/chat/messages?after=0&wait=true")
        .putHeader("Cookie", COOKIE).send();
    HttpResponse<Buffer> posted = await(nodeA.client.post("/api/v1/chat/messages").putHeader("Cookie", COOKIE)
        .sendJsonObject(new JsonObject().put("id", "signals-1").put("text", "员工没签合同要赔钱吗")));
    assertEquals(202, posted.statusCode(), posted.bodyAsString());
    HttpResponse<Buffer> heard = await(waiting);
    assertEquals(200, heard.statusCode());
    JsonArray lines = heard.bodyAsJsonObject().getJsonArray("messages");
    assertFalse(lines.isEmpty(), "the wait on node B ends with the conversation's lines, not empty at its end");
    assertTrue(TestService.eventually(vertxB, () -> await(nodeB.client.get("/api/v1/chat/messages?after=0")
        .putHeader("Cookie", COOKIE).send()).bodyAsJsonObject().getJsonArray("messages").stream()
        .anyMatch(l -> "bot".equals(((JsonObject) l).getString("author")))), "node B shows the bot's answer");
  }

  @Test
  @DisplayName("a reindex started by an admin on node A makes node B rebuild its own index too")
  void reindexReachesOtherNode() throws Exception {
    Optional<Path> before = await(nodeB.app.index().onLiveIndex(g -> g.directory()));
    assertTrue(before.isPresent());
    HttpResponse<Buffer> started = await(nodeA.client.post("/api/v1/admin/reindex")
        .putHeader("Authorization", "Bearer " + nodeA.adminToken()).send());
    assertEquals(202, started.statusCode(), started.bodyAsString());
    assertTrue(TestService.eventually(vertxB, () -> !await(nodeB.app.index().onLiveIndex(g -> g.directory()))
        .equals(before)), "node B serves a generation it built after node A's reindex");
  }
}
