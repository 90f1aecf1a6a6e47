package cn.legalkoi.bench;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.answer.Answers;
import cn.legalkoi.chat.wecom.WeComCrypto;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owners' questions through the WeCom encrypted webhook at {@value #SENDERS} concurrent senders, against the same
 * server's {@code /health} at the same concurrency and the same questions asked in-process, in one run.
 *
 * <p>The service runs in this JVM ({@code LegalKoi.start}, temp dataDir, the shipped {@code knowledge-base}) with
 * {@code channels.wecom} pointing at a fake WeCom on loopback that accepts every {@code message/send} (errcode 0)
 * and notes when it arrived. Closed loop: each sender (speaking in turn for 200 owners, each its own FromUserName, so
 * that no owner passes WeCom's 30 messages a minute) posts its next message, a fresh MsgId
 * encrypted and signed as WeCom does, once its previous one has been both acknowledged (HTTP 200, after the
 * service has committed the message's dedup record) and answered: its reply came in the response (WeCom's passive
 * reply, whose signature the generator checks and which it decrypts, as WeCom would) or was accepted by the fake's
 * {@code message/send}. Latency runs from the POST's start to the reply's arrival. {@code chat.maxMessagesPerMinute} is set very high so that the
 * per-sender limit does not hold back the load. The load generator, the fake and the service share the cores.
 *
 * <p>Usage: {@code WeComBenchmark lexical|semantic [measured seconds] [passiveReplyMillis]}; run with
 * {@code bench/wecom.sh}. {@code passiveReplyMillis} 0 answers every message through {@code message/send}.
 */
public final class WeComBenchmark {
  static final int SENDERS = 64;
  /**
   * Owners each sender speaks for in turn; at 2,000 messages a second each gets about 2 a minute. Some legal
   * questions are handed to an adviser, and an owner whose ticket an adviser holds gets one acknowledgement and then
   * no bot reply (by design): the fewer messages an owner sends in a run, the fewer senders wait out such a quiet
   * message. The report counts them.
   */
  static final int OWNERS_PER_SENDER = 1000;
  static final String TOKEN = "koiBenchToken";
  static final String AES_KEY = "wq30bOULgOqxZBbv7/a2MhY+/Jft5zPnUqosc0R9WjU";
  static final String CORP_ID = "wwkoibench001";
  static final int AGENT_ID = 1000002;
  static final String SECRET = "koi-bench-secret";
  /** Seconds of load before the window; BENCH_WARMUP overrides (the JIT compiles the hot paths in the first ones). */
  static final int WARMUP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "30"));
  static final int BASELINE_SECONDS = 10;
  static final int ASK_THREADS = 2;
  static final long LOST_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final String LOAD_GROUP = "load generator and fake WeCom (their event loops)";
  /** The threads that embed questions (the service's, or the in-process baseline's once the webhook load is over). */
  static final String EMBEDDING_GROUP = "legal-koi-question-embedding";
  /** Threads of the load generator's Vert.x (its client and the fake WeCom): their CPU is not the service's. */
  static final java.util.Set<Long> LOAD_THREADS = ConcurrentHashMap.newKeySet();

  public static void main(String[] args) throws Exception {
    // semantic-new: semantic, with no recent questions' vectors kept, so every message is embedded as a stream of
    // questions never asked before would be (the tune set's legal questions repeat, and would otherwise come from that cache)
    boolean newQuestions = args.length > 0 && args[0].equals("semantic-new");
    boolean semantic = args.length > 0 && (args[0].equals("semantic") || newQuestions);
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int passiveReplyMillis = args.length > 2 ? Integer.parseInt(args[2])
        : cn.legalkoi.config.ChannelsConfig.WeCom.DEFAULT_PASSIVE_REPLY_MILLIS;
    String mode = newQuestions ? "semantic-new" : semantic ? "semantic" : "lexical";
    List<String> questions = legalQuestions();
    Path work = Files.createTempDirectory("legal-koi-wecom-bench");
    Vertx serverVertx = Vertx.vertx();
    Vertx loadVertx = Vertx.vertx();
    FakeWeCom wecom = FakeWeCom.start(loadVertx);
    JsonObject json = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("metrics", new JsonObject().put("port", 0))
        .put("dataDir", work.resolve("data").toString())
        .put("publicBaseUrl", "https://koi.example.test")
        .put("knowledgeBase", new JsonObject().put("dirs", new JsonArray().add(Path.of("knowledge-base")
            .toAbsolutePath().toString())))
        .put("admin", new JsonObject().put("bootstrapPassword", "bench-password"))
        .put("search", new JsonObject().put("semantic", new JsonObject().put("enabled", semantic)
            .put("recentQuestions", newQuestions ? 0 : cn.legalkoi.semantic.Embedder.RECENT_QUESTIONS)))
        .put("chat", new JsonObject().put("maxMessagesPerMinute", 1_000_000_000))
        .put("channels", new JsonObject().put("wecom", new JsonObject().put("token", TOKEN)
            .put("encodingAesKey", AES_KEY).put("corpId", CORP_ID).put("agentId", AGENT_ID).put("secret", SECRET)
            .put("apiBase", wecom.apiBase()).put("passiveReplyMillis", passiveReplyMillis)));
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    long started = System.nanoTime();
    LegalKoi app = await(LegalKoi.start(serverVertx, config), 1800);
    if (app.startupJob().isPresent()) {
      await(app.startupJob().get().finished(), 1800);
    }
    System.out.printf("%s: service up with its index after %.1f s; %d legal questions; data in %s%n", mode,
        (System.nanoTime() - started) / 1e9, questions.size(), work);
    HttpClient client = loadVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(app.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(SENDERS));

    WebhookLoad webhook = new WebhookLoad(loadVertx, client, wecom, questions);
    Result hook = webhook.run(seconds);
    HealthLoad healthLoad = new HealthLoad(client);
    Result health = healthLoad.run(BASELINE_SECONDS);
    // the same questions asked in-process: the service's own search and answer parts on its live index
    LegalKoi.Parts parts = LegalKoi.parts(serverVertx, config);
    Answers answers = new Answers(app.index(), parts.answers());
    double[] asks = askRate(answers, questions);

    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "mode: %s; %d senders, closed loop, %d s measured after %d s warm-up;"
        + " %d legal questions from tune.tsv; chat.maxMessagesPerMinute=1e9; %d cores shared by load, fake WeCom"
        + " and service; channels.wecom.passiveReplyMillis=%d%n", mode, SENDERS, seconds, WARMUP_SECONDS,
        questions.size(), Runtime.getRuntime().availableProcessors(), passiveReplyMillis));
    report.append(String.format(Locale.ROOT, "wecom webhook: %.0f answered messages/s, p50 %.2f ms, p99 %.2f ms"
        + " (POST start to the reply, in the response or at the fake); %d answered, %d refused, %d lost (no reply in 10 s)%n",
        hook.rate, hook.p50, hook.p99, hook.count, hook.errors, hook.lost));
    Result ack = webhook.acks.result(seconds, 0, 0);
    Result ackReply = webhook.ackToReply.result(seconds, 0, 0);
    report.append(String.format(Locale.ROOT, "  stages: POST to acknowledgement p50 %.2f / p99 %.2f ms; acknowledgement"
        + " to reply at the fake p50 %.2f / p99 %.2f ms (%d replies came after their acknowledgement); fake WeCom"
        + " saw %d connections; CPU in the window: this JVM %.2f cores, whole machine %.2f cores%n", ack.p50, ack.p99,
        ackReply.p50, ackReply.p99, ackReply.count, wecom.connections.get(), webhook.processCores,
        webhook.machineCores));
    StringBuilder groups = new StringBuilder();
    webhook.threadCores.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(7)
        .forEach(e -> groups.append(String.format(Locale.ROOT, " %s %.2f cores (%.2f ms a message);", e.getKey(),
            e.getValue() / 1e9 / seconds, e.getValue() / 1e6 / Math.max(1, hook.count))));
    report.append("  CPU by thread group in the window (vert.x-eventloop-thread-N: the service's event loops):" + groups + String.format(Locale.ROOT, " GC pauses %.1f%% of the window; the rest of this JVM's"
        + " CPU (GC and JIT threads) %.2f cores%n", webhook.gcMillisInWindow / 10.0 / seconds,
        webhook.processCores - webhook.threadCores.values().stream().mapToLong(Long::longValue).sum() / 1e9
            / seconds));
    StringBuilder jvm = new StringBuilder();
    webhook.nativeCores.forEach((name, nanos) -> jvm.append(String.format(Locale.ROOT, " %s %.2f cores (%.2f ms a"
        + " message);", name, nanos / 1e9 / seconds, nanos / 1e6 / Math.max(1, hook.count))));
    if (jvm.length() > 0) {
      report.append("  of the rest:" + jvm + System.lineSeparator());
    }
    long loadNanos = webhook.threadCores.getOrDefault(LOAD_GROUP, 0L);
    report.append(String.format(Locale.ROOT, "  CPU a message: this JVM %.2f ms, of which the load generator and fake"
        + " WeCom %.2f ms (at least: their GC is not split out), the service the rest%n",
        webhook.processCores * seconds * 1000 / Math.max(1, hook.count), loadNanos / 1e6 / Math.max(1, hook.count)));
    report.append(String.format(Locale.ROOT, "  answered in all: %d in the callback's response (passive reply,"
        + " decrypted and checked by the load generator), %d through message/send at the fake; %d answered in the"
        + " window%n", webhook.passive.get(), wecom.accepted.get(), hook.count));
    report.append(String.format(Locale.ROOT, "/health, %d clients: %.0f req/s, p50 %.2f ms, p99 %.2f ms (CPU: this JVM"
        + " %.2f cores, machine %.2f)%n", SENDERS, health.rate, health.p50, health.p99, healthLoad.processCores,
        healthLoad.machineCores));
    report.append(String.format(Locale.ROOT, "in-process Answers.ask, %d threads: %.0f asks/s, p50 %.2f ms, p99 %.2f"
        + " ms; CPU an ask (this JVM, GC and JIT included) %.2f ms, of which embedding the question %.2f ms; CPU:"
        + " this JVM %.2f cores, machine %.2f%n",
        ASK_THREADS, asks[0], asks[1], asks[2], asks[3], asks[6], asks[4], asks[5]));
    report.append(String.format(Locale.ROOT, "ratios: webhook / in-process asks %.2f; webhook / health %.3f%n",
        hook.rate / asks[0], hook.rate / health.rate));
    double messageCpu = webhook.processCores * seconds * 1000 / Math.max(1, hook.count);
    report.append(String.format(Locale.ROOT, "CPU a message through the webhook %.2f ms (load generator included)"
        + " against %.2f ms an in-process ask: on equal cores the webhook would answer %.2f of the ask rate (this"
        + " ratio does not depend on what else the machine runs)%n", messageCpu, asks[3], asks[3] / messageCpu));
    report.append(semantic
        ? String.format(Locale.ROOT, "target (semantic): >= 80%% of the in-process ask rate: %s%n",
            hook.rate >= 0.8 * asks[0] ? "met" : "missed")
        : String.format(Locale.ROOT, "target (lexical): >= 2000 messages/s with p99 < 50 ms: %s%n",
            hook.rate >= 2000 && hook.p99 < 50 ? "met" : "missed"));
    client.close();
    await(app.stop(), 60);
    report.append(String.format(Locale.ROOT, "messages with no bot reply in all (follow-ups on a ticket an adviser"
        + " holds, quiet by design after one acknowledgement): %d, in %d conversations with a ticket; any other"
        + " unanswered message: %d%n",
        cn.legalkoi.testing.ServiceProcess.count(work.resolve("data"), "SELECT count(*) FROM inbound i WHERE NOT"
            + " EXISTS (SELECT 1 FROM outbox o WHERE o.channel = i.channel AND o.in_reply_to = i.message_id) AND"
            + " i.conversation_id IN (SELECT conversation_id FROM tickets)"),
        cn.legalkoi.testing.ServiceProcess.count(work.resolve("data"), "SELECT count(DISTINCT conversation_id)"
            + " FROM tickets"),
        cn.legalkoi.testing.ServiceProcess.count(work.resolve("data"), "SELECT count(*) FROM inbound i WHERE NOT"
            + " EXISTS (SELECT 1 FROM outbox o WHERE o.channel = i.channel AND o.in_reply_to = i.message_id) AND"
            + " i.conversation_id NOT IN (SELECT conversation_id FROM tickets)")));
    System.out.print(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/bench-report-wecom-" + mode + ".txt"), report, StandardCharsets.UTF_8);
    await(serverVertx.close(), 60);
    await(loadVertx.close(), 60);
    System.exit(0);
  }

  static List<String> legalQuestions() throws Exception {
    List<String> questions = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("src/main/resources/labelled/tune.tsv"), StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (cols.length >= 4 && cols[2].equals("legal")) {
        questions.add(cols[3]);
      }
    }
    return questions;
  }

  static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  record Result(double rate, double p50, double p99, long count, long errors, long lost) {
  }

  /** Latencies (ns) of the measured window; appended from several threads. */
  static final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    synchronized Result result(double seconds, long errors, long lost) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      double p50 = size == 0 ? Double.NaN : sorted[size / 2] / 1e6;
      double p99 = size == 0 ? Double.NaN : sorted[(int) (size * 0.99)] / 1e6;
      return new Result(size / seconds, p50, p99, size, errors, lost);
    }
  }

  abstract static class Load {
    volatile boolean running = true;
    volatile long measureFrom = Long.MAX_VALUE;
    volatile long measureTo = Long.MAX_VALUE;
    final Latencies latencies = new Latencies();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong lost = new AtomicLong();

    boolean measured(long at) {
      return at >= measureFrom && at < measureTo;
    }

    abstract void startClients();

    /** CPU used by this JVM (load, fake and service) and by the whole machine during the window, in cores. */
    double processCores;
    /** CPU nanoseconds per thread group (the name without its number) during the window. */
    Map<String, Long> threadCores = Map.of();
    /** CPU nanoseconds of the JVM's own threads (garbage collection, JIT compilers) during the window. */
    Map<String, Long> nativeCores = Map.of();
    long gcMillisInWindow;
    double machineCores;

    Result run(int seconds) throws Exception {
      startClients();
      Thread.sleep(TimeUnit.SECONDS.toMillis(WARMUP_SECONDS));
      errors.set(0);
      lost.set(0);
      com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      Map<String, Long> threads0 = threadCpu();
      Map<String, Long> native0 = nativeThreadCpu();
      long gc0 = gcMillis();
      long[] machine0 = machineJiffies();
      measureFrom = System.nanoTime();
      measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
      java.time.LocalTime from = java.time.LocalTime.now();
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      System.out.printf("%s window: %s to %s%n", getClass().getSimpleName(), from, java.time.LocalTime.now());
      processCores = (os.getProcessCpuTime() - cpu0) / 1e9 / seconds;
      Map<String, Long> threads1 = threadCpu();
      threads1.replaceAll((name, nanos) -> nanos - threads0.getOrDefault(name, 0L));
      threadCores = threads1;
      Map<String, Long> native1 = nativeThreadCpu();
      native1.replaceAll((name, nanos) -> nanos - native0.getOrDefault(name, 0L));
      nativeCores = native1;
      gcMillisInWindow = gcMillis() - gc0;
      long[] machine1 = machineJiffies();
      machineCores = (machine1[0] - machine0[0]) / 100.0 / seconds;
      running = false;
      Thread.sleep(1000); // outstanding requests finish outside the window
      return latencies.result(seconds, errors.get(), lost.get());
    }
  }

  /** CPU nanoseconds so far of this JVM's live threads, summed by name with the digits taken out. */
  static Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null) {
        long nanos = mx.getThreadCpuTime(info.getThreadId());
        if (nanos > 0) {
          String group = LOAD_THREADS.contains(info.getThreadId()) ? LOAD_GROUP
              : info.getThreadName().replaceAll("[0-9]+", "N");
          byGroup.merge(group, nanos, Long::sum);
        }
      }
    }
    return byGroup;
  }

  /**
   * CPU nanoseconds so far of the JVM's own threads, which the thread bean does not list, from /proc/self/task:
   * "garbage collection" (GC, G1 and VM threads) and "JIT compilers" (C1, C2). Empty where /proc is missing.
   */
  static Map<String, Long> nativeThreadCpu() {
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException gone) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String group = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "JIT compilers"
            : name.startsWith("GC ") || name.startsWith("G1 ") || name.equals("VM Thread") ? "garbage collection"
            : null;
        if (group != null) {
          String[] f = stat.substring(close + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
          byGroup.merge(group, ticks * 10_000_000L, Long::sum); // 100 ticks a second
        }
      }
    } catch (java.io.IOException | RuntimeException unreadable) {
      return Map.of();
    }
    return byGroup;
  }

  static long gcMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
        .getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** Busy jiffies (1/100 s) of all cores since boot, from /proc/stat. */
  static long[] machineJiffies() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < f.length; i++) {
      if (i != 4 && i != 5) { // idle, iowait
        busy += Long.parseLong(f[i]);
      }
    }
    return new long[] {busy};
  }

  /** GET /health from {@value #SENDERS} clients, each sending again when answered. */
  static final class HealthLoad extends Load {
    private final HttpClient client;

    HealthLoad(HttpClient client) {
      this.client = client;
    }

    @Override
    void startClients() {
      for (int i = 0; i < SENDERS; i++) {
        next();
      }
    }

    private void next() {
      if (!running) {
        return;
      }
      long start = System.nanoTime();
      client.request(HttpMethod.GET, "/health").compose(r -> r.send()).compose(r -> r.body().map(r.statusCode()))
          .onComplete(r -> {
            long end = System.nanoTime();
            if (r.succeeded() && r.result() == 200) {
              if (measured(end)) {
                latencies.add(end - start);
              }
            } else {
              errors.incrementAndGet();
            }
            next();
          });
    }
  }

  /** How the service answered a callback: refused (not 200, or a reply WeCom would reject), empty, or a reply. */
  enum Response { REFUSED, EMPTY, ANSWERED }

  /** Encrypted, signed WeCom text callbacks from {@value #SENDERS} senders; answered when the fake gets the reply. */
  static final class WebhookLoad extends Load {
    private final Vertx vertx;
    private final HttpClient client;
    private final List<String> questions;
    private final WeComCrypto crypto = new WeComCrypto(TOKEN, AES_KEY, CORP_ID);
    private final AtomicLong msgIds = new AtomicLong(7_400_000_000_000_000_000L);
    private final AtomicLong nonces = new AtomicLong();
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();
    private final ThreadLocal<cn.legalkoi.chat.SafeXml> xml = ThreadLocal.withInitial(
        () -> new cn.legalkoi.chat.SafeXml(cn.legalkoi.chat.SafeXml.DEFAULT_MAX_BYTES));
    /** Messages answered in the callback's response (WeCom's passive reply), rather than through message/send. */
    final AtomicLong passive = new AtomicLong();
    /** POST start to the acknowledgement (dedup record committed), and acknowledgement to the reply's arrival. */
    final Latencies acks = new Latencies();
    final Latencies ackToReply = new Latencies();

    WebhookLoad(Vertx vertx, HttpClient client, FakeWeCom wecom, List<String> questions) {
      this.vertx = vertx;
      this.client = client;
      this.questions = questions;
      wecom.onSend = this::replied;
    }

    /** One sender's message in flight: the next goes once this is both acknowledged and answered. */
    final class Sender {
      final String base;
      String user;
      int sent;
      long start;
      boolean acked;
      boolean answered;
      long ackedAt;

      Sender(String base) {
        this.base = base;
        this.user = owner(base, 0);
      }

      synchronized void send() {
        LOAD_THREADS.add(Thread.currentThread().getId());
        if (!running) {
          return;
        }
        user = owner(base, sent);
        String question = questions.get((base.hashCode() * 31 + sent++ & 0x7fffffff) % questions.size());
        String msgId = Long.toString(msgIds.incrementAndGet());
        String message = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><FromUserName><![CDATA[" + user
            + "]]></FromUserName><CreateTime>" + System.currentTimeMillis() / 1000
            + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + question + "]]></Content>"
            + "<MsgId>" + msgId + "</MsgId><AgentID>" + AGENT_ID + "</AgentID></xml>";
        String encrypt = crypto.encrypt(message, WeComCrypto.randomPrefix(java.util.concurrent.ThreadLocalRandom
            .current()));
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = "n" + nonces.incrementAndGet();
        String uri = "/webhooks/wecom?msg_signature=" + WeComCrypto.signature(TOKEN, timestamp, nonce, encrypt)
            + "&timestamp=" + timestamp + "&nonce=" + URLEncoder.encode(nonce, StandardCharsets.UTF_8);
        String body = "<xml><ToUserName><![CDATA[" + CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
            + "]]></Encrypt><AgentID><![CDATA[" + AGENT_ID + "]]></AgentID></xml>";
        acked = false;
        answered = false;
        start = System.nanoTime();
        long mine = start;
        String to = user;
        client.request(HttpMethod.POST, uri)
            .compose(r -> r.putHeader("Content-Type", "text/xml").send(Buffer.buffer(body)))
            .compose(r -> r.body().map(b -> r.statusCode() != 200 ? Response.REFUSED
                : b.length() == 0 ? Response.EMPTY : passiveReplyTo(to, b) ? Response.ANSWERED : Response.REFUSED))
            .onComplete(r -> acknowledged(mine, r.succeeded() ? r.result() : Response.REFUSED));
      }

      void acknowledged(long which, Response response) {
        LOAD_THREADS.add(Thread.currentThread().getId());
        boolean next;
        synchronized (this) {
          if (which != start) {
            return;
          }
          if (response == Response.REFUSED) {
            errors.incrementAndGet();
            next = true;
          } else {
            acked = true;
            ackedAt = System.nanoTime();
            if (measured(ackedAt)) {
              acks.add(ackedAt - start);
            }
            if (response == Response.ANSWERED && !answered) {
              answered = true;
              passive.incrementAndGet();
              if (measured(ackedAt)) {
                latencies.add(ackedAt - start);
              }
            }
            next = answered;
          }
        }
        if (next) {
          vertx.runOnContext(v -> send());
        }
      }

      void answered(long at) {
        boolean next;
        synchronized (this) {
          if (answered) {
            return; // a second reply to one message: not expected
          }
          answered = true;
          if (measured(at)) {
            latencies.add(at - start);
            if (acked) {
              ackToReply.add(at - ackedAt);
            }
          }
          next = acked;
        }
        if (next) {
          send();
        }
      }

      synchronized boolean lost(long now) {
        if (running && !answered && now - start > LOST_AFTER_NANOS) {
          lost.incrementAndGet();
          return true;
        }
        return false;
      }
    }

    /**
     * Whether {@code body} is a passive reply to {@code user} as WeCom would accept it: its signature verifies, it
     * decrypts (addressed by the CorpID) to a text message for that member with a non-empty Content.
     */
    boolean passiveReplyTo(String user, Buffer body) {
      try {
        Map<String, String> outer = xml.get().parseFlat(body.getBytes());
        Map<String, String> reply = xml.get().parseFlat(crypto.decryptVerified(outer.get("MsgSignature"),
            outer.get("TimeStamp"), outer.get("Nonce"), outer.get("Encrypt")));
        return user.equals(reply.get("ToUserName")) && CORP_ID.equals(reply.get("FromUserName"))
            && "text".equals(reply.get("MsgType")) && !reply.getOrDefault("Content", "").isEmpty();
      } catch (RuntimeException e) {
        return false;
      }
    }

    /**
     * Each sender speaks for many owners in turn, as a busy service hears from many: WeCom takes at most 30 messages a
     * minute to one member, and the outbox keeps to that, so one owner cannot stand for the load.
     */
    static String owner(String base, int sent) {
      return base + "-" + (sent % OWNERS_PER_SENDER);
    }

    void replied(String touser, long at) {
      Sender sender = senders.get(touser);
      if (sender != null) {
        sender.answered(at);
      }
    }

    @Override
    void startClients() {
      List<Sender> all = new java.util.ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        Sender sender = new Sender("bench-owner-" + i);
        for (int k = 0; k < OWNERS_PER_SENDER; k++) {
          senders.put(owner(sender.base, k), sender);
        }
        all.add(sender);
        sender.send();
      }
      vertx.setPeriodic(1000, t -> {
        long now = System.nanoTime();
        for (Sender s : all) {
          if (s.lost(now)) {
            s.send();
          }
        }
      });
    }
  }

  /** Asks/s, p50 and p99 ms of the legal questions through {@link Answers#ask} from {@value #ASK_THREADS} threads. */
  static double[] askRate(Answers answers, List<String> questions) throws Exception {
    Latencies latencies = new Latencies();
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    long end = warmEnd + TimeUnit.SECONDS.toNanos(BASELINE_SECONDS);
    List<Thread> threads = new ArrayList<>();
    List<Exception> errors = new ArrayList<>();
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long[] cpu = new long[2];
    long[] machine = new long[2];
    long[] embedding = new long[2];
    Thread meter = new Thread(() -> {
      try {
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(warmEnd - System.nanoTime())));
        cpu[0] = os.getProcessCpuTime();
        machine[0] = machineJiffies()[0];
        embedding[0] = threadCpu().getOrDefault(EMBEDDING_GROUP, 0L);
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        cpu[1] = os.getProcessCpuTime();
        machine[1] = machineJiffies()[0];
        embedding[1] = threadCpu().getOrDefault(EMBEDDING_GROUP, 0L);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    meter.start();
    for (int t = 0; t < ASK_THREADS; t++) {
      int offset = t * 37;
      Thread thread = new Thread(() -> {
        try {
          for (int i = offset; ; i++) {
            long start = System.nanoTime();
            if (start >= end) {
              break;
            }
            await(answers.ask(questions.get(i % questions.size())), 60);
            long done = System.nanoTime();
            if (start >= warmEnd && done < end) {
              latencies.add(done - start);
            }
          }
        } catch (Exception e) {
          synchronized (errors) {
            errors.add(e);
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
    meter.join();
    Result r = latencies.result(BASELINE_SECONDS, 0, 0);
    // CPU a message of this JVM (GC and JIT included), and the cores this JVM and the machine used
    return new double[] {r.rate, r.p50, r.p99, (cpu[1] - cpu[0]) / 1e6 / Math.max(1, r.count),
        (cpu[1] - cpu[0]) / 1e9 / BASELINE_SECONDS, (machine[1] - machine[0]) / 100.0 / BASELINE_SECONDS,
        (embedding[1] - embedding[0]) / 1e6 / Math.max(1, r.count)};
  }

  /** WeCom's API on loopback: gettoken, and message/send that accepts everything and notes the arrival. */
  static final class FakeWeCom {
    interface OnSend {
      void accepted(String touser, long atNanos);
    }

    volatile OnSend onSend = (u, t) -> { };
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong connections;
    private final HttpServer server;

    private FakeWeCom(HttpServer server, AtomicLong connections) {
      this.server = server;
      this.connections = connections;
    }

    static FakeWeCom start(Vertx vertx) throws Exception {
      FakeWeCom[] self = new FakeWeCom[1];
      Buffer token = new JsonObject().put("errcode", 0).put("errmsg", "ok").put("access_token", "bench-token")
          .put("expires_in", 7200).toBuffer();
      Buffer ok = new JsonObject().put("errcode", 0).put("errmsg", "ok").put("msgid", "m").toBuffer();
      AtomicLong connections = new AtomicLong();
      HttpServer server = await(vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
          .requestHandler(req -> {
        LOAD_THREADS.add(Thread.currentThread().getId());
        String path = req.path();
        if (path.equals("/cgi-bin/gettoken")) {
          req.response().putHeader("Content-Type", "application/json").end(token);
        } else if (path.equals("/cgi-bin/message/send")) {
          req.body().onSuccess(body -> {
            long at = System.nanoTime();
            String touser = new JsonObject(body).getString("touser", "");
            req.response().putHeader("Content-Type", "application/json").end(ok);
            self[0].accepted.incrementAndGet();
            self[0].onSend.accepted(touser, at);
          });
        } else {
          req.response().setStatusCode(404).end();
        }
      }).listen(0, "127.0.0.1"), 30);
      self[0] = new FakeWeCom(server, connections);
      return self[0];
    }

    String apiBase() {
      return "http://127.0.0.1:" + server.actualPort();
    }
  }
}
