package cn.legalkoi.datacare;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken from a running service with a ticket, an adviser and an owner's file, restored into a fresh data
 * directory, serves the same tickets, users and index; restore refuses a running service's data and a tampered backup.
 */
class BackupRestoreTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  Path knowledgeBase;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    knowledgeBase = Fixtures.copyKnowledgeBase(dir);
    service = TestService.start(vertx, knowledgeBase, dir.resolve("data"));
    String admin = service.adminToken();
    HttpResponse<Buffer> created = await(service.client.post("/api/v1/admin/users")
        .putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject().put("username", "li.si")
            .put("password", "adviser-password-1").put("role", "adviser")
            .put("departments", new JsonArray().add("综合执法"))));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    WebClientSession owner = WebClientSession.create(service.client);
    assertEquals(202, await(owner.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "message-0001").put("text", "我要找人工"))).statusCode());
    assertTrue(TestService.eventually(vertx, () -> count(dir.resolve("data"), "SELECT count(*) FROM tickets") == 1));
    Path files = dir.resolve("data/files");
    Files.createDirectories(files);
    Files.writeString(files.resolve("1"), "营业执照照片", StandardCharsets.UTF_8);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  private AppConfig config(Path dataDir) {
    return new ConfigLoader(Map.of()).fromJson(TestService.config(knowledgeBase, dataDir));
  }

  @Test
  @DisplayName("a backup of the running service restores into a fresh dataDir that serves its tickets, users and index")
  void backupAndRestore() throws Exception {
    Path backup = dir.resolve("backup");
    AppConfig running = config(dir.resolve("data"));
    BackupManifest manifest = new Backup(running, Optional.empty(), Clock.systemUTC())
        .write(Backup.fromFile(running.databaseFile()), backup);
    assertTrue(manifest.problems(backup).isEmpty());
    assertTrue(manifest.indexGeneration().startsWith("gen-"), manifest.json().encode());
    assertTrue(manifest.json().getJsonObject("versions").getJsonObject("schema").containsKey("tickets"));
    assertEquals("营业执照照片", Files.readString(backup.resolve("files/1"), StandardCharsets.UTF_8));

    Path fresh = dir.resolve("restored");
    new Restore(config(fresh), Clock.systemUTC()).restore(backup, false);
    service.close();
    service = null;

    try (TestService restored = TestService.start(vertx, knowledgeBase, fresh)) {
      assertTrue(restored.app.startupJob().isEmpty(), "the restored index is served without a rebuild");
      String admin = restored.adminToken();
      JsonArray tickets = await(restored.client.get("/api/v1/tickets").putHeader("Authorization", "Bearer " + admin)
          .send()).bodyAsJsonObject().getJsonArray("tickets");
      assertEquals(1, tickets.size());
      assertEquals("我要找人工", tickets.getJsonObject(0).getString("question"));
      assertFalse(restored.login("li.si", "adviser-password-1").isEmpty());
      JsonArray hits = await(restored.client.get("/api/v1/search").addQueryParam("q", "第一次违法会被罚款吗").send())
          .bodyAsJsonObject().getJsonArray("results");
      assertFalse(hits.isEmpty());
      assertEquals("营业执照照片", Files.readString(fresh.resolve("files/1"), StandardCharsets.UTF_8));
    }
  }

  @Test
  @DisplayName("the admin's backup job copies the database through the service's writer while owners keep writing")
  void backupThroughTheService() throws Exception {
    String admin = service.adminToken();
    Path backups = dir.resolve("backups");
    JsonObject json = TestService.config(knowledgeBase, dir.resolve("data2"))
        .put("backup", new JsonObject().put("dir", backups.toString()));
    service.close();
    service = TestService.start(vertx, knowledgeBase, dir.resolve("data2"), json);
    admin = service.adminToken();
    assertEquals(401, await(service.client.post("/api/v1/admin/backup").send()).statusCode());
    HttpResponse<Buffer> started = await(service.client.post("/api/v1/admin/backup")
        .putHeader("Authorization", "Bearer " + admin).send());
    assertEquals(202, started.statusCode(), started.bodyAsString());
    String jobId = started.bodyAsJsonObject().getString("jobId");
    AtomicReference<JsonObject> job = new AtomicReference<>();
    String token = admin;
    assertTrue(TestService.eventually(vertx, () -> {
      job.set(await(service.client.get("/api/v1/admin/backup/" + jobId)
          .putHeader("Authorization", "Bearer " + token).send()).bodyAsJsonObject());
      return !"running".equals(job.get().getString("state"));
    }));
    assertEquals("done", job.get().getString("state"), job.get().encode());
    Path backup = Path.of(job.get().getString("dir"));
    assertTrue(BackupManifest.read(backup).problems(backup).isEmpty());
    assertEquals(1, count(backup, BackupManifest.DATABASE, "SELECT count(*) FROM users WHERE username = 'admin'"));
    assertEquals(1, count(dir.resolve("data2"), "SELECT count(*) FROM audit_log WHERE action = 'backup_started'"));
  }

  @Test
  @DisplayName("restore refuses while a service holds the dataDir, and refuses a backup whose checksums do not match")
  void refusals() throws Exception {
    Path backup = dir.resolve("backup");
    AppConfig running = config(dir.resolve("data"));
    new Backup(running, Optional.empty(), Clock.systemUTC()).write(Backup.fromFile(running.databaseFile()), backup);

    Restore.Refused held = assertThrows(Restore.Refused.class,
        () -> new Restore(running, Clock.systemUTC()).restore(backup, true));
    assertTrue(held.getMessage().contains("holds"), held.getMessage());

    Files.writeString(backup.resolve("files/1"), "换过的照片", StandardCharsets.UTF_8);
    Path fresh = dir.resolve("fresh");
    Restore.Refused tampered = assertThrows(Restore.Refused.class,
        () -> new Restore(config(fresh), Clock.systemUTC()).restore(backup, false));
    assertTrue(tampered.getMessage().contains("files/1: checksum does not match"), tampered.getMessage());
    assertFalse(Files.exists(fresh.resolve("legal-koi.db")), "nothing was restored");

    service.close();
    service = null;
    Files.writeString(backup.resolve("files/1"), "营业执照照片", StandardCharsets.UTF_8);
    Restore.Refused occupied = assertThrows(Restore.Refused.class,
        () -> new Restore(running, Clock.systemUTC()).restore(backup, false));
    assertTrue(occupied.getMessage().contains("--replace"), occupied.getMessage());
    new Restore(running, Clock.systemUTC()).restore(backup, true);
    try (Stream<Path> aside = Files.list(dir.resolve("data"))) {
      assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith("replaced-")).count());
    }
    assertEquals(1, count(dir.resolve("data"), "SELECT count(*) FROM tickets"));
  }

  private static long count(Path dataDir, String sql) throws Exception {
    return count(dataDir, "legal-koi.db", sql);
  }

  private static long count(Path dir, String file, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }
}
