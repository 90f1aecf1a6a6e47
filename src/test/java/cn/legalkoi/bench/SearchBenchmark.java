package cn.legalkoi.bench;

import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.knowledge.Statute;
import cn.legalkoi.knowledge.StatuteArticle;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.search.ChineseAnalysis;
import cn.legalkoi.search.IndexFields;
import cn.legalkoi.search.IndexGeneration;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.semantic.Embedder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * Search latency and throughput through the HTTP service against the very same queries run in-process on the
 * same index ("bare"), and the service's reindex rate against a bare IndexWriter with the same analysis chain,
 * all in one run. Run with {@code bench/run.sh}; see the README for the figures.
 */
public final class SearchBenchmark {
  private static final int WARMUP = 600;
  private static final int MEASURED = 3000;
  private static final int THROUGHPUT_THREADS = 4;
  private static final long THROUGHPUT_MILLIS = 10_000;

  public static void main(String[] args) throws Exception {
    int passages = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
    String serverHeap = args.length > 1 ? args[1] : "512m";
    boolean semantic = args.length > 2 && args[2].equals("semantic");
    Path work = Files.createTempDirectory("legal-koi-bench");
    Path kb = work.resolve("kb");
    StatuteCorpus corpus = StatuteCorpus.write(kb, passages / 50, 50, 42);
    System.out.printf("corpus: %d statute files, %d passages, %d questions in %s%n", corpus.lawNames.size(),
        corpus.passages, corpus.questions.size(), work);

    double bareRate = bareIndexRate(kb, work.resolve("bare-index"));
    try (Server server = Server.start(work, kb, serverHeap, semantic)) {
      double serviceRate = server.reindexRate(corpus.passages);
      Path script = Wrk.script(work, corpus.questions);
      Wrk.run(server.base, script, 1, 1, 5); // warm-up
      Wrk.Result http = Wrk.run(server.base, script, 1, 1, 15);
      Wrk.Result httpLoad = Wrk.run(server.base, script, 2, THROUGHPUT_THREADS, 15);
      long rssKb = server.rssKb();
      double[] bare;
      double bareThroughput;
      long heapKb = server.heapUsedKb();
      Synonyms synonyms = Synonyms.parse(Utf8Files.read(Path.of("config/synonyms.txt")));
      try (IndexGeneration generation = IndexGeneration.open(server.publishedGeneration());
          Embedder embedder = new Embedder(2)) {
        KnowledgeSearcher searcher = new KnowledgeSearcher(ChineseAnalysis.bigrams(), ChineseAnalysis.words(), synonyms,
            RankingWeights.defaults(), semantic ? java.util.Optional.of(embedder) : java.util.Optional.empty());
        bare = latencies(q -> searcher.search(generation, q, 10, null).size(), corpus.questions);
        bareThroughput = throughput(q -> searcher.search(generation, q, 10, null).size(), corpus.questions);
      }
      StringBuilder report = new StringBuilder();
      report.append(String.format(Locale.ROOT, "mode: %s; passages: %d, server -Xmx%s, heap used %d MiB, RSS %d MiB"
          + " after the load%n", semantic ? "semantic (hybrid)" : "lexical", corpus.passages, serverHeap, heapKb / 1024,
          rssKb / 1024));
      if (semantic) {
        report.append(String.format(Locale.ROOT, "first start: lexical index serving after %.1f s; %d passages embedded"
            + " and swapped in after %.1f s more: %.0f passages/s including indexing%n", server.upSeconds,
            corpus.passages, server.semanticSeconds, corpus.passages / server.semanticSeconds));
      }
      report.append(String.format(Locale.ROOT, "search latency, 1 client  p50 / p99 ms: http %.2f / %.2f   bare %.2f / %.2f"
          + "   ratio p50 %.2fx, p99 %.2fx%n", http.p50(), http.p99(), bare[0], bare[1], http.p50() / bare[0],
          http.p99() / bare[1]));
      report.append(String.format(Locale.ROOT, "search throughput, %d clients req/s:  http %.0f   bare %.0f   ratio %.2fx"
          + "  (http p50 / p99 under load %.2f / %.2f ms)%n", THROUGHPUT_THREADS, httpLoad.requestsPerSecond(),
          bareThroughput, bareThroughput / httpLoad.requestsPerSecond(), httpLoad.p50(), httpLoad.p99()));
      report.append(String.format(Locale.ROOT, "reindex passages/s: service %.0f   bare IndexWriter %.0f   ratio %.2f%n",
          serviceRate, bareRate, serviceRate / bareRate));
      System.out.print(report);
      Files.writeString(Path.of("target/bench-report-" + (semantic ? "semantic" : "lexical") + ".txt"), report,
          StandardCharsets.UTF_8);
    }
  }

  /** Passages per second for a plain IndexWriter with the same analysis chain and text, parsing excluded. */
  static double bareIndexRate(Path kb, Path dir) throws IOException {
    KnowledgeSnapshot snapshot = new KnowledgeLoader(List.of(kb)).load();
    List<Document> docs = new ArrayList<>();
    for (Statute statute : snapshot.statutes()) {
      for (StatuteArticle article : statute.articles()) {
        Document d = new Document();
        d.add(new StringField(IndexFields.ID, article.key().docId(), Field.Store.YES));
        String context = statute.shortTitle() + " " + String.join(" ", article.headings());
        for (String suffix : new String[] {IndexFields.BIGRAM, IndexFields.WORD}) {
          d.add(new TextField(IndexFields.BODY + suffix, article.text(), Field.Store.NO));
          d.add(new TextField(IndexFields.CONTEXT + suffix, context, Field.Store.NO));
        }
        docs.add(d);
      }
    }
    Analyzer analyzer = ChineseAnalysis.perField(ChineseAnalysis.bigrams(), ChineseAnalysis.words());
    long start = System.nanoTime();
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(64))) {
      for (Document d : docs) {
        writer.addDocument(d);
      }
      writer.commit();
    }
    return docs.size() / ((System.nanoTime() - start) / 1e9);
  }

  interface Query {
    int run(String question) throws Exception;
  }

  /** p50 and p99 in milliseconds of one client asking the questions in turn. */
  static double[] latencies(Query query, List<String> questions) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      query.run(questions.get(i % questions.size()));
    }
    double[] ms = new double[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      long start = System.nanoTime();
      query.run(questions.get(i % questions.size()));
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[MEASURED / 2], ms[(int) (MEASURED * 0.99)]};
  }

  static double throughput(Query query, List<String> questions) throws Exception {
    AtomicLong done = new AtomicLong();
    long end = System.currentTimeMillis() + THROUGHPUT_MILLIS;
    List<Thread> threads = new ArrayList<>();
    List<Exception> errors = new ArrayList<>();
    for (int t = 0; t < THROUGHPUT_THREADS; t++) {
      int offset = t * 37;
      Thread thread = new Thread(() -> {
        try {
          for (int i = offset; System.currentTimeMillis() < end; i++) {
            query.run(questions.get(i % questions.size()));
            done.incrementAndGet();
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
    return done.get() / (THROUGHPUT_MILLIS / 1000.0);
  }

  /** The service as a separate process, as it runs in production. */
  static final class Server implements AutoCloseable {
    private final Process process;
    final String base;
    private final Path dataDir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String token;

    private Server(Process process, String base, Path dataDir) {
      this.process = process;
      this.base = base;
      this.dataDir = dataDir;
    }

    double upSeconds;
    double semanticSeconds;

    static Server start(Path work, Path kb, String heap, boolean semantic) throws Exception {
      int port;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path dataDir = work.resolve("data");
      JsonObject config = new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
          .put("dataDir", dataDir.toString())
          .put("knowledgeBase", new JsonObject().put("dirs", new JsonArray().add(kb.toString())))
          .put("admin", new JsonObject().put("bootstrapPassword", "bench-password"))
          .put("search", new JsonObject().put("semantic", new JsonObject().put("enabled", semantic)));
      Path configFile = work.resolve("bench.json");
      Files.writeString(configFile, config.encodePrettily(), StandardCharsets.UTF_8);
      Process process = new ProcessBuilder("java", "-Xmx" + heap, "-jar", "target/legal-koi.jar", "serve", "--config",
          configFile.toString()).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
      Server server = new Server(process, "http://127.0.0.1:" + port, dataDir);
      long started = System.nanoTime();
      server.awaitHealth(work, "UP", null);
      server.upSeconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("server up with its first index after %.1f s%n", server.upSeconds);
      if (semantic) {
        server.awaitHealth(work, "UP", "ready");
        server.semanticSeconds = (System.nanoTime() - started) / 1e9 - server.upSeconds;
        System.out.printf("vectors ready %.1f s later%n", server.semanticSeconds);
      }
      return server;
    }

    /** Polls /health (a benchmark, not a test: it may wait) until the status and semantic state match. */
    void awaitHealth(Path work, String status, String semanticState) throws Exception {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("server exited; see " + work.resolve("server.log"));
        }
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
          JsonObject health = new JsonObject(r.body());
          if (status.equals(health.getString("status")) && (semanticState == null
              || semanticState.equals(health.getJsonObject("index").getString("semantic")))) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(200);
      }
    }

    long heapUsedKb() throws Exception {
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true)
          .start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Passages per second of a forced reindex through the admin API, measured from request to live. */
    double reindexRate(int passages) throws Exception {
      HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"bench-password\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      token = new JsonObject(login.body()).getString("token");
      long start = System.nanoTime();
      HttpResponse<String> started = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/reindex?force=true"))
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      String jobId = new JsonObject(started.body()).getString("jobId");
      while (true) {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/reindex/" + jobId))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        String state = new JsonObject(status.body()).getString("state");
        if (!"running".equals(state)) {
          if (!"done".equals(state)) {
            throw new IllegalStateException("reindex " + state + ": " + status.body());
          }
          break;
        }
        Thread.sleep(50);
      }
      return passages / ((System.nanoTime() - start) / 1e9);
    }

    Path publishedGeneration() throws IOException {
      return dataDir.resolve("index").resolve(Files.readString(dataDir.resolve("index/CURRENT"), StandardCharsets.UTF_8).strip());
    }

    long rssKb() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor();
    }
  }
}
