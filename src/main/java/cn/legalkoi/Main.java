package cn.legalkoi;

import cn.legalkoi.answer.AskReply;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.datacare.DataCareCommands;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.knowledge.LoadProblem;
import cn.legalkoi.quality.Evaluation;
import cn.legalkoi.quality.StatuteEvaluation;
import cn.legalkoi.search.ReindexJob;
import cn.legalkoi.search.SearchHit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line: {@code serve} (the default), {@code reindex}, {@code search}, {@code ask}, {@code check},
 * {@code evaluate}, {@code evaluate-statutes}, {@code backup}, {@code restore}.
 */
@Command(name = "legal-koi", mixinStandardHelpOptions = true, version = "legal-koi 0.1",
    description = "法治锦鲤 legal and compliance assistant for business owners.",
    subcommands = {Main.Serve.class, Main.Reindex.class, Main.Search.class, Main.Ask.class, Main.Check.class,
        Evaluation.Command.class, StatuteEvaluation.Command.class, DataCareCommands.BackupCommand.class,
        DataCareCommands.RestoreCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.setOut(out);
    System.setErr(err);
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cli.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
    // on success the service keeps running on Vert.x's threads; every other command has closed its Vert.x
  }

  /** With no sub-command, serve with the default config. */
  @Override
  public Integer call() {
    return new Serve().call();
  }

  /** Options every sub-command shares. */
  public static class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "config file (default: config/application.json)")
    Path config;

    /** The file given with {@code --config}, or null for the default. */
    public Path file() {
      return config;
    }

    public AppConfig load() throws java.io.IOException {
      AppConfig loaded = new ConfigLoader(System.getenv())
          .load(config == null ? ConfigLoader.DEFAULT_FILE : config, config != null);
      cn.legalkoi.logging.LogFormat.apply(loaded.logging().json(), loaded.logging().accessLog());
      return loaded;
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the service (the default command).")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption options = new ConfigOption();

    @Override
    public Integer call() {
      try {
        AppConfig config = options.load();
        Vertx vertx = Vertx.vertx();
        LegalKoi.start(vertx, config).onFailure(e -> {
          System.err.println("legal-koi could not start: " + e.getMessage());
          vertx.close().onComplete(v -> System.exit(1));
        }).onSuccess(app -> Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(app.stop()))));
        return 0;
      } catch (Exception e) {
        System.err.println("legal-koi could not start: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "reindex", mixinStandardHelpOptions = true,
      description = "Rebuild the index from the knowledge base and publish it; a running service switches to it.")
  static final class Reindex implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption options = new ConfigOption();
    @Option(names = "--force", description = "publish even if the new index drops more documents than allowed")
    boolean force;

    @Override
    public Integer call() throws Exception {
      AppConfig config = options.load();
      Vertx vertx = Vertx.vertx();
      try {
        LegalKoi.Parts parts = LegalKoi.parts(vertx, config);
        await(parts.index().openPublished());
        ReindexJob job = await(parts.index().startReindex(force).finished());
        System.out.println(job.toJson().encodePrettily());
        parts.index().close();
        return job.state() == ReindexJob.State.DONE ? 0 : 2;
      } finally {
        vertx.close();
      }
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true, description = "Search the published index.")
  static final class Search implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption options = new ConfigOption();
    @Option(names = "--kind", description = "guidance or statute")
    String kind;
    @Option(names = "--limit", defaultValue = "10")
    int limit;
    @Parameters(arity = "1..*", paramLabel = "WORDS")
    List<String> words;

    @Override
    public Integer call() throws Exception {
      return withIndex(options, parts -> parts.index().onLiveIndex(
          g -> parts.searcher().search(g, String.join(" ", words), limit, kind)), hits -> {
            for (SearchHit hit : hits) {
              System.out.printf("%7.3f  %-28s %s%n         %s%n", hit.score(), hit.docId(), hit.citation(), hit.snippet());
            }
          });
    }
  }

  @Command(name = "ask", mixinStandardHelpOptions = true, description = "Show the reply the service would give.")
  static final class Ask implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption options = new ConfigOption();
    @Parameters(arity = "1..*", paramLabel = "QUESTION")
    List<String> words;

    @Override
    public Integer call() throws Exception {
      return withIndex(options, parts -> parts.index().onLiveIndex(g -> parts.answers().ask(g, String.join(" ", words))),
          (AskReply reply) -> System.out.println("[" + reply.kind().wireName() + "] " + reply.docIds() + "\n" + reply.text()));
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate the knowledge base and list every problem; exit code 1 if any file is skipped.")
  static final class Check implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption options = new ConfigOption();

    @Override
    public Integer call() throws Exception {
      AppConfig config = options.load();
      KnowledgeSnapshot snapshot = new KnowledgeLoader(config.knowledgeDirs()).load();
      System.out.printf("%d guidance documents, %d statute files, %d passages%n", snapshot.guidance().size(),
          snapshot.statutes().size(), snapshot.passageCount());
      for (LoadProblem p : snapshot.problems()) {
        System.out.println((p.skipped() ? "SKIPPED " : "WARNING ") + p.path() + ": " + p.reason());
      }
      snapshot.unresolvedCitations().forEach(c -> System.out.println("CITATION " + c));
      return snapshot.problems().stream().anyMatch(LoadProblem::skipped) ? 1 : 0;
    }
  }

  /** Opens the published index (building it first if there is none) and prints one result. */
  static <T> int withIndex(ConfigOption options, java.util.function.Function<LegalKoi.Parts, Future<Optional<T>>> work,
      java.util.function.Consumer<T> print) throws Exception {
    AppConfig config = options.load();
    Vertx vertx = Vertx.vertx();
    try {
      LegalKoi.Parts parts = LegalKoi.parts(vertx, config);
      await(parts.index().openOrBuild());
      Optional<T> result = await(work.apply(parts));
      parts.index().close();
      if (result.isEmpty()) {
        System.err.println("No index is available.");
        return 1;
      }
      print.accept(result.get());
      return 0;
    } finally {
      vertx.close();
    }
  }

  /** Waits for a future on the command line, where there is no event loop to keep free. */
  public static <T> T await(Future<T> future) throws Exception {
    CountDownLatch latch = new CountDownLatch(1);
    future.onComplete(r -> latch.countDown());
    if (!latch.await(2, TimeUnit.HOURS)) {
      throw new IllegalStateException("timed out");
    }
    if (future.failed()) {
      throw new IllegalStateException(future.cause().getMessage(), future.cause());
    }
    return future.result();
  }

  private static void awaitQuietly(Future<?> future) {
    try {
      await(future);
    } catch (Exception e) {
      // shutting down anyway
    }
  }
}
