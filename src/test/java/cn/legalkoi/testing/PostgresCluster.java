package cn.legalkoi.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the tests: {@code initdb} in a temp directory, started on a free loopback port,
 * stopped and removed when the test JVM exits. As root it runs as the {@code postgres} user, since PostgreSQL
 * refuses to run as root. Each test gets a database of its own ({@link #newDatabase}). Needs the Debian package
 * {@code postgresql}, which {@code .ci/run} installs.
 */
public final class PostgresCluster {
  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresCluster shared;

  private final Path dir;
  private final int port;

  private PostgresCluster(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** The cluster of this test JVM, started on first use. */
  public static synchronized PostgresCluster shared() throws Exception {
    if (shared == null) {
      shared = start();
      PostgresCluster started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-test-cluster-stop"));
    }
    return shared;
  }

  private static PostgresCluster start() throws Exception {
    if (!Files.isExecutable(BIN.resolve("initdb"))) {
      throw new IllegalStateException("PostgreSQL 15 is not installed (no " + BIN.resolve("initdb")
          + "): install the Debian package postgresql; .ci/run does");
    }
    Path dir = Files.createTempDirectory("legal-koi-pg");
    Path data = dir.resolve("data");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run(List.of("chown", "postgres:postgres", dir.toString()), false);
      run(List.of("chmod", "700", dir.toString()), false);
    }
    run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
        "--encoding=UTF8", "--locale=C"), root);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w",
        "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
            + " -c max_connections=300", "start"), root);
    return new PostgresCluster(dir, port);
  }

  private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
    }
  }

  private void stop() {
    try {
      run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
          "-w", "stop"), "root".equals(System.getProperty("user.name")));
    } catch (Exception e) {
      System.err.println("could not stop the test PostgreSQL cluster: " + e);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }

  /** A new, empty database; its JDBC URL. */
  public String newDatabase() throws SQLException {
    String name = "koi_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The {@code database} section of a service config for a new database of this cluster. */
  public JsonObject newDatabaseConfig() throws SQLException {
    return new JsonObject().put("url", newDatabase()).put("user", "postgres").put("password", "").put("poolSize", 4);
  }

  /** A connection to {@code url} for a test's own checks. */
  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, "postgres", "");
  }
}
