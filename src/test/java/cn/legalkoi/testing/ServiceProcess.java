package cn.legalkoi.testing;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service run as its own process from the test's class path, as {@code java -jar} would run it. */
public final class ServiceProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final int port;
  private final List<String> output;

  private ServiceProcess(Process process, int port, List<String> output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  /** Starts {@code serve --config config} and returns once it listens and its index serves. */
  public static ServiceProcess start(Vertx vertx, Path config) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dfile.encoding=UTF-8", "cn.legalkoi.Main", "serve",
        "--config", config.toString()).redirectErrorStream(true);
    builder.environment().put("LANG", "C.UTF-8");
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          output.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("the service exited before listening"));
      } catch (Exception e) {
        port.completeExceptionally(e);
      }
    }, "service-output");
    reader.setDaemon(true);
    reader.start();
    int p = port.get(90, TimeUnit.SECONDS);
    WebClient probe = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(p));
    try {
      assertTrue(TestService.eventually(vertx, () -> await(probe.get("/health").send()).statusCode() == 200));
    } finally {
      probe.close();
    }
    return new ServiceProcess(process, p, output);
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /** What the service has written to its standard output and error so far. */
  public List<String> output() {
    return List.copyOf(output);
  }

  /** One number read straight from the SQLite file under {@code dataDir}, as a stopped or killed process left it. */
  public static long count(Path dataDir, String sql) throws java.sql.SQLException {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("legal-koi.db"));
        java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }
}
