package cn.legalkoi.faults;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.dingtalk.DingTalkSignature;
import cn.legalkoi.chat.dingtalk.FakeDingTalk;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.PostgresCluster;
import cn.legalkoi.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two service nodes, each its own process with its own index, sharing one PostgreSQL database, behind a fake
 * DingTalk (robot callbacks signed in HTTP mode, each reply counted at its message's session webhook). A burst of
 * owners' messages is spread across both; one node is killed with SIGKILL part-way; the messages it never
 * acknowledged are sent again to the survivor, as the platform redelivers. Every message is then recorded once,
 * answered once (a reply the killed node was sending when it died may reach the platform twice: DingTalk cannot
 * tell a repeat), and every request for a person has its ticket, whichever node took it.
 */
class TwoNodesKilledTest {
  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final int MESSAGES = 120;

  @TempDir
  Path dir;
  Vertx vertx;
  final List<Process> processes = new ArrayList<>();
  String url;
  /** The platform: signed robot callbacks in, replies counted at each message's own session webhook. */
  FakeDingTalk dingtalk;

  @BeforeEach
  void start() throws Exception {
    // the nodes run in their own JVMs (their event loops are not watched from here); this one only carries the
    // fake platform and the test's client, which three JVMs on a small machine can stall for a moment
    vertx = Vertx.vertx();
    url = PostgresCluster.shared().newDatabase();
    dingtalk = FakeDingTalk.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }

  private Path config(String node, Path kb) throws Exception {
    JsonObject json = TestService.config(kb, dir.resolve(node))
        .put("channels", new JsonObject().put("dingtalk", new JsonObject().put("mode", "http")
            .put("appKey", FakeDingTalk.APP_KEY).put("appSecret", FakeDingTalk.APP_SECRET)
            .put("robotCode", FakeDingTalk.ROBOT_CODE).put("apiBase", dingtalk.url())
            .put("sessionWebhookHosts", new io.vertx.core.json.JsonArray().add("127.0.0.1:" + dingtalk.port()))))
        .put("database", new JsonObject().put("url", url).put("user", "postgres").put("password", "")
            .put("poolSize", 4));
    Path file = dir.resolve(node + ".json");
    Files.writeString(file, json.encode(), StandardCharsets.UTF_8);
    return file;
  }

  /** Starts a node in a new JVM; its port once it listens. */
  private CompletableFuture<Integer> launch(Path config) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dfile.encoding=UTF-8", "cn.legalkoi.Main", "serve",
        "--config", config.toString()).redirectErrorStream(true);
    builder.environment().put("LANG", "C.UTF-8");
    Process process = builder.start();
    processes.add(process);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.contains("\"WARN\"") || line.contains("\"ERROR\"")) {
            System.err.println(config.getFileName() + ": " + line); // shown in the test's report when it fails
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("the node exited before listening"));
      } catch (Exception e) {
        port.completeExceptionally(e);
      }
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
    return port;
  }

  private WebClient client(int port) throws Exception {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(16));
    assertTrue(TestService.eventually(vertx, () -> await(client.get("/health").send()).statusCode() == 200));
    return client;
  }

  private long count(String sql) throws Exception {
    try (Connection c = PostgresCluster.connect(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Waits, on a timer, until {@code condition} holds, for at most {@code seconds}. */
  private boolean within(int seconds, Callable<Boolean> condition) throws Exception {
    Promise<Boolean> done = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long timer = vertx.setPeriodic(200, t -> vertx.executeBlocking(condition::call, false).onComplete(r -> {
      if (r.succeeded() && Boolean.TRUE.equals(r.result())) {
        done.tryComplete(true);
      } else if (System.nanoTime() > deadline) {
        done.tryComplete(false);
      }
    }));
    try {
      return done.future().toCompletionStage().toCompletableFuture().get(seconds + 30L, TimeUnit.SECONDS);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  private String summary() {
    try {
      return count("SELECT count(*) FROM inbound WHERE state = 'pending'") + " messages unanswered, "
          + count("SELECT count(*) FROM outbox WHERE state = 'pending'") + " replies unsent, "
          + count("SELECT count(*) FROM outbox WHERE state = 'failed'") + " failed";
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Owner {@code i}'s message, signed as DingTalk signs it; its reply is expected at session webhook m{i}. */
  private Future<HttpResponse<Buffer>> send(WebClient client, int i) {
    String text = i % 4 == 0 ? "我要找人工" : "员工没签合同要赔钱吗";
    JsonObject message = new JsonObject().put("msgtype", "text").put("text", new JsonObject().put("content", text))
        .put("msgId", "two-nodes-" + (1000 + i)).put("createAt", System.currentTimeMillis())
        .put("conversationType", "1").put("conversationId", "cidTwoNodes" + (1000 + i))
        .put("senderId", "$:LWCP_v1:$owner" + (1000 + i)).put("senderStaffId", "owner" + (1000 + i))
        .put("senderNick", "店主").put("robotCode", FakeDingTalk.ROBOT_CODE)
        .put("sessionWebhook", dingtalk.sessionWebhook("m" + i))
        .put("sessionWebhookExpiredTime", System.currentTimeMillis() + 90 * 60_000);
    String timestamp = Long.toString(System.currentTimeMillis());
    return client.post("/webhooks/dingtalk").putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("timestamp", timestamp)
        .putHeader("sign", DingTalkSignature.sign(FakeDingTalk.APP_SECRET, timestamp))
        .sendBuffer(Buffer.buffer(message.encode().getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean acknowledged(Future<HttpResponse<Buffer>> sent) {
    return sent.succeeded() && sent.result().statusCode() == 200;
  }

  /** Replies the platform took, by the message they answer. */
  private Map<Integer, Long> repliesByMessage() {
    return dingtalk.acceptedWebhookPosts().stream().collect(Collectors.groupingBy(
        p -> Integer.parseInt(p.path().substring(p.path().lastIndexOf("/m") + 2)), Collectors.counting()));
  }

  @Test
  @DisplayName("two nodes on one PostgreSQL, one SIGKILLed mid-burst: every message answered exactly once, every"
      + " ticket there, whichever node took it")
  void oneNodeKilledMidBurst() throws Exception {
    Path kb = Fixtures.copyKnowledgeBase(dir);
    // both start together: the migrations run once, under the advisory lock
    CompletableFuture<Integer> first = launch(config("a", kb));
    CompletableFuture<Integer> second = launch(config("b", kb));
    WebClient doomed = client(first.get(120, TimeUnit.SECONDS));
    WebClient survivor = client(second.get(120, TimeUnit.SECONDS));
    Process doomedProcess = processes.get(0);

    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sent.add(send(i % 2 == 0 ? doomed : survivor, i));
      if (i == 39) {
        await(Future.join(new ArrayList<Future<?>>(sent)).transform(r -> Future.succeededFuture()));
      }
    }
    doomedProcess.destroyForcibly();
    await(Future.join(new ArrayList<Future<?>>(sent)).transform(r -> Future.succeededFuture()));
    doomedProcess.waitFor(30, TimeUnit.SECONDS);
    // replies claimed and not marked sent at the kill (by either node: an upper bound on the killed node's), which the
    // platform may have taken already
    long inFlightAtKill = count("SELECT count(*) FROM outbox WHERE state = 'pending' AND claimed_until > "
        + System.currentTimeMillis());

    long byDoomed = 0;
    List<Integer> redelivered = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      if (acknowledged(sent.get(i))) {
        byDoomed += i % 2 == 0 ? 1 : 0;
      } else {
        redelivered.add(i);
      }
    }
    assertTrue(byDoomed > 0 && !redelivered.isEmpty(), "the kill landed in the burst: the killed node acknowledged "
        + byDoomed + ", left " + redelivered.size() + " unacknowledged");
    // the platform delivers again what it saw no acknowledgement for, to the node still there
    List<Future<HttpResponse<Buffer>>> again = new ArrayList<>();
    for (int i : redelivered) {
      again.add(send(survivor, i));
    }
    await(Future.join(new ArrayList<Future<?>>(again)).transform(r -> Future.succeededFuture()));
    for (Future<HttpResponse<Buffer>> r : again) {
      assertTrue(acknowledged(r), "the survivor takes a redelivered message");
    }

    // what the killed node acknowledged but had not answered or sent is taken up by the survivor
    assertTrue(within(180, () -> count("SELECT count(*) FROM inbound WHERE state = 'pending'") == 0
        && count("SELECT count(*) FROM outbox WHERE state = 'pending'") == 0),
        () -> "every message answered and every reply sent by the survivor: " + summary());
    for (int i = 0; i < MESSAGES; i++) {
      assertEquals(1, count("SELECT count(*) FROM inbound WHERE message_id LIKE '%two-nodes-" + (1000 + i) + "'"),
          "message " + i + " recorded once");
    }
    assertEquals(MESSAGES, count("SELECT count(*) FROM inbound"));
    assertEquals(MESSAGES, count("SELECT count(*) FROM transcript WHERE author = 'bot'"),
        "one answer per message, none twice");
    assertEquals(MESSAGES, count("SELECT count(*) FROM outbox WHERE state = 'sent'"), "one reply sent per message");
    assertEquals(MESSAGES / 4, count("SELECT count(*) FROM tickets"), "a ticket for every request for a person");
    Map<Integer, Long> replies = repliesByMessage();
    assertEquals(MESSAGES, replies.size(), "the platform got a reply to every message");
    List<Integer> repeated = replies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .toList();
    assertTrue(replies.values().stream().allMatch(n -> n <= 2), "no reply taken more than twice: " + replies);
    assertTrue(repeated.size() <= inFlightAtKill, "only replies the killed node was sending may be repeated ("
        + repeated.size() + " repeated, " + inFlightAtKill + " in flight at the kill): " + repeated);
    System.out.printf("two nodes: killed node acknowledged %d, %d redelivered, %d replies in flight at the kill,"
        + " %d repeated%n", byDoomed, redelivered.size(), inFlightAtKill, repeated.size());
    survivor.close();
    doomed.close();
  }
}
