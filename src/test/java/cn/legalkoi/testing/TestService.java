package cn.legalkoi.testing;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real service on a free port, with its own SQLite file and index in a temp directory, and a client. */
public final class TestService implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-test-password";

  public final Vertx vertx;
  public final LegalKoi app;
  public final WebClient client;
  public final Path knowledgeBase;
  public final Path dataDir;
  private final AppConfig config;

  private TestService(Vertx vertx, LegalKoi app, WebClient client, Path knowledgeBase, Path dataDir,
      AppConfig config) {
    this.config = config;
    this.vertx = vertx;
    this.app = app;
    this.client = client;
    this.knowledgeBase = knowledgeBase;
    this.dataDir = dataDir;
  }

  /**
   * The test config. With {@code -Dlegalkoi.test.store=postgres} it names a new database of the test PostgreSQL
   * cluster, so that the service tests run on that store too.
   */
  public static JsonObject config(Path knowledgeBase, Path dataDir) {
    JsonObject json = baseConfig(knowledgeBase, dataDir);
    if ("postgres".equals(System.getProperty("legalkoi.test.store"))) {
      try {
        json.put("database", PostgresCluster.shared().newDatabaseConfig());
      } catch (Exception e) {
        throw new IllegalStateException("no test PostgreSQL cluster: " + e.getMessage(), e);
      }
    }
    return json;
  }

  private static JsonObject baseConfig(Path knowledgeBase, Path dataDir) {
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("dataDir", dataDir.toString())
        .put("publicBaseUrl", "https://koi.example.test")
        .put("knowledgeBase", new JsonObject().put("dirs", new JsonArray().add(knowledgeBase.toString())))
        .put("admin", new JsonObject().put("bootstrapPassword", ADMIN_PASSWORD))
        .put("search", new JsonObject().put("synonymsFile", "config/synonyms.txt")
            .put("semantic", new JsonObject().put("enabled", false)));
  }

  /** Starts the service and waits until its index serves. */
  public static TestService start(Vertx vertx, Path knowledgeBase, Path dataDir) throws Exception {
    return start(vertx, knowledgeBase, dataDir, config(knowledgeBase, dataDir));
  }

  public static TestService start(Vertx vertx, Path knowledgeBase, Path dataDir, JsonObject json) throws Exception {
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    LegalKoi app = await(LegalKoi.start(vertx, config));
    if (app.startupJob().isPresent()) {
      await(app.startupJob().get().finished());
    }
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(app.port()));
    return new TestService(vertx, app, client, knowledgeBase, dataDir, config);
  }

  public String adminToken() throws Exception {
    return login("admin", ADMIN_PASSWORD);
  }

  public String login(String username, String password) throws Exception {
    HttpResponse<Buffer> r = await(client.post("/api/v1/auth/login")
        .sendJsonObject(new JsonObject().put("username", username).put("password", password)));
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("token");
  }

  /** Waits for a future from the test thread (never an event loop), failing the test after 60 s. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /**
   * Waits until {@code condition} holds, checking it every 20 ms on a timer (never blocking an event loop), for
   * at most 10 s; returns whether it came true. For state that no event announces, such as a row's status.
   */
  public static boolean eventually(Vertx vertx, java.util.concurrent.Callable<Boolean> condition) throws Exception {
    io.vertx.core.Promise<Boolean> done = io.vertx.core.Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long timer = vertx.setPeriodic(20, t -> vertx.executeBlocking(condition::call, false).onComplete(r -> {
      if (r.succeeded() && Boolean.TRUE.equals(r.result())) {
        done.tryComplete(true);
      } else if (System.nanoTime() > deadline) {
        done.tryComplete(false);
      }
    }));
    try {
      return await(done.future());
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  /** The first column of the first row of a query on this service's database (-1 when there is no row). */
  public long count(String sql) throws Exception {
    try (java.sql.Connection c = config.database().isPostgres() ? PostgresCluster.connect(config.database().url())
        : java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("legal-koi.db"));
        java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
    await(app.stop());
  }
}
