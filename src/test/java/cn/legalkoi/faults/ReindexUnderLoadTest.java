package cn.legalkoi.faults;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reindexing during the heaviest load the service sustains without back-pressure. The load is a closed loop of
 * owners asking questions: each client asks again as soon as it has its answer. A short ramp doubles the clients
 * until the answers per second stop growing (the CPU is saturated) or a request is turned away, and the load then
 * runs at the level that answered the most with nothing turned away, while three reindexes rebuild the index the
 * answers come from.
 */
class ReindexUnderLoadTest {
  private static final List<String> QUESTIONS = List.of("员工没签书面劳动合同，要付二倍工资吗", "罚款可以分期缴纳吗",
      "第一次违规能不能不罚款", "行政处罚法第三十二条", "离婚以后房产怎么分割");
  private static final int[] RAMP = {2, 4, 8, 16, 32};
  private static final long RAMP_STEP_MS = 1_000;
  private static final long WARM_UP_MS = 2_000;
  private static final long MIN_LOAD_MS = 3_000;
  private static final int REINDEXES = 3;
  /** The load keeps both cores busy, so an event loop may wait for one; a second would be a real stall. */
  private static final long MAX_EVENT_LOOP_MILLIS = 1_000;

  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  WebClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create(MAX_EVENT_LOOP_MILLIS);
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(service.app.port()), new PoolOptions().setHttp1MaxSize(64));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    service.close();
    await(vertx.close());
  }

  /** What one run of the closed loop saw. */
  private static final class Run {
    final AtomicInteger ok = new AtomicInteger();
    final Map<Integer, AtomicInteger> refused = new ConcurrentHashMap<>();
    /** Answers that differ from the one the question got before any load: question, then what came. */
    final ConcurrentLinkedQueue<String> inconsistent = new ConcurrentLinkedQueue<>();
    long elapsedNanos;

    double perSecond() {
      return ok.get() * 1e9 / elapsedNanos;
    }

    int refusedCount() {
      return refused.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }

  @Test
  @DisplayName("three reindexes during the heaviest load answered without back-pressure: no request fails, every"
      + " answer is the one the question got before, and the rebuilt index serves the same answers afterwards")
  void reindexAtTheHeaviestLoad() throws Exception {
    Map<String, String> before = new ConcurrentHashMap<>();
    for (String q : QUESTIONS) {
      HttpResponse<Buffer> r = await(ask(q));
      assertEquals(200, r.statusCode(), r.bodyAsString());
      before.put(q, answerOf(r));
    }

    // the first seconds measure the JIT compiler more than the service
    AtomicBoolean warm = new AtomicBoolean();
    Future<Run> warming = load(8, before, warm);
    vertx.setTimer(WARM_UP_MS, t -> warm.set(true));
    assertEquals(0, await(warming).refusedCount(), "nothing turned away while warming up");

    int clients = 0;
    double best = 0;
    StringBuilder ramp = new StringBuilder();
    for (int level : RAMP) {
      AtomicBoolean stop = new AtomicBoolean();
      Future<Run> running = load(level, before, stop);
      vertx.setTimer(RAMP_STEP_MS, t -> stop.set(true));
      Run run = await(running);
      ramp.append(String.format(Locale.ROOT, " %d clients: %.0f/s%s;", level, run.perSecond(),
          run.refusedCount() > 0 ? " (" + run.refused + " turned away)" : ""));
      assertTrue(run.inconsistent.isEmpty(), "answers changed under load alone: " + run.inconsistent);
      if (run.refusedCount() > 0) {
        break;
      }
      if (run.perSecond() > best * 1.1) {
        best = run.perSecond();
        clients = level;
      } else if (run.perSecond() <= best) {
        break; // saturated: more clients only wait longer
      }
    }
    assertTrue(clients > 0, "no level answered without turning requests away:" + ramp);

    String token = service.adminToken();
    Path pointer = service.dataDir.resolve("index/CURRENT");
    String generationBefore = Files.readString(pointer, StandardCharsets.UTF_8);
    AtomicBoolean stop = new AtomicBoolean();
    Future<Run> running = load(clients, before, stop);
    long started = System.nanoTime();
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < REINDEXES; i++) {
      HttpResponse<Buffer> asked = await(service.client.post("/api/v1/admin/reindex?force=true")
          .putHeader("Authorization", "Bearer " + token).send());
      assertEquals(202, asked.statusCode(), asked.bodyAsString());
      String jobId = asked.bodyAsJsonObject().getString("jobId");
      JsonObject done = await(service.app.index().job(jobId).orElseThrow().finished()).toJson();
      assertEquals("done", done.getString("state"), done.encode());
      jobs.add(jobId);
    }
    long reindexMs = (System.nanoTime() - started) / 1_000_000;
    vertx.setTimer(Math.max(1, MIN_LOAD_MS - reindexMs), t -> stop.set(true));
    Run load = await(running);

    System.out.printf(Locale.ROOT, "Reindex under load: ramp%s load at %d clients: %d answers in %d ms (%.0f/s),"
        + " %d turned away, during %d reindexes taking %d ms%n", ramp, clients, load.ok.get(),
        load.elapsedNanos / 1_000_000, load.perSecond(), load.refusedCount(), REINDEXES, reindexMs);
    assertEquals(REINDEXES, jobs.stream().distinct().count(), "each reindex is a job of its own");
    assertNotEquals(generationBefore, Files.readString(pointer, StandardCharsets.UTF_8), "a new index serves");
    assertEquals(0, load.refusedCount(), "no request failed or was turned away: " + load.refused);
    assertTrue(load.inconsistent.isEmpty(), "every answer as before: " + load.inconsistent);
    assertTrue(load.ok.get() >= clients * REINDEXES, "the load ran: " + load.ok.get());
    for (String q : QUESTIONS) {
      assertEquals(before.get(q), answerOf(await(ask(q))), "the rebuilt index answers " + q + " as before");
    }
  }

  /** {@code clients} owners each asking again as soon as answered, until {@code stop}; what they saw. */
  private Future<Run> load(int clients, Map<String, String> expected, AtomicBoolean stop) {
    Run run = new Run();
    long started = System.nanoTime();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Promise<Void> done = Promise.promise();
      askInTurn(i, run, expected, stop, done);
      loops.add(done.future());
    }
    return Future.all(loops).map(v -> {
      run.elapsedNanos = System.nanoTime() - started;
      return run;
    });
  }

  private void askInTurn(int n, Run run, Map<String, String> expected, AtomicBoolean stop, Promise<Void> done) {
    if (stop.get()) {
      done.complete();
      return;
    }
    String question = QUESTIONS.get(n % QUESTIONS.size());
    ask(question).onComplete(r -> {
      if (r.succeeded() && r.result().statusCode() == 200) {
        run.ok.incrementAndGet();
        String answer = answerOf(r.result());
        if (!answer.equals(expected.get(question))) {
          run.inconsistent.add(question + " -> " + answer);
        }
      } else {
        int status = r.succeeded() ? r.result().statusCode() : -1;
        run.refused.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      }
      askInTurn(n + 1, run, expected, stop, done); // the next question, so each client goes through them all
    });
  }

  private Future<HttpResponse<Buffer>> ask(String question) {
    return client.post("/api/v1/ask").sendJsonObject(new JsonObject().put("question", question));
  }

  /** What an owner would notice of an answer: its kind and the documents it cites, in order. */
  private static String answerOf(HttpResponse<Buffer> r) {
    JsonObject body = r.bodyAsJsonObject();
    return body.getString("kind") + " " + body.getJsonArray("docIds").encode();
  }
}
