package cn.legalkoi;

import cn.legalkoi.answer.AnswerService;
import cn.legalkoi.answer.Answers;
import cn.legalkoi.answer.IntentModel;
import cn.legalkoi.answer.LabelledQuestion;
import cn.legalkoi.answer.ReplyComposer;
import cn.legalkoi.chat.ChatModule;
import cn.legalkoi.chat.WebChatPage;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.datacare.DataCareRoutes;
import cn.legalkoi.datacare.DataDirLock;
import cn.legalkoi.datacare.OwnerData;
import cn.legalkoi.datacare.Retention;
import cn.legalkoi.gaps.GapsRoutes;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.metrics.DatabaseReadings;
import cn.legalkoi.metrics.Observability;
import cn.legalkoi.metrics.ServiceMetrics;
import cn.legalkoi.proposals.ProposalRoutes;
import cn.legalkoi.search.ChineseAnalysis;
import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.IndexStore;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.StatuteExamples;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.store.Store;
import cn.legalkoi.tickets.CalendarDeadlines;
import cn.legalkoi.tickets.CalendarSource;
import cn.legalkoi.alerts.AlertNotifier;
import cn.legalkoi.alerts.TicketAlerts;
import io.vertx.ext.web.client.WebClient;
import cn.legalkoi.tickets.TicketsModule;
import cn.legalkoi.users.AuditLog;
import cn.legalkoi.users.Departments;
import cn.legalkoi.users.PasswordHasher;
import cn.legalkoi.users.Role;
import cn.legalkoi.users.UserService;
import cn.legalkoi.web.AdminRoutes;
import cn.legalkoi.web.ConsolePage;
import cn.legalkoi.web.GuidancePage;
import cn.legalkoi.web.HttpServerVerticle;
import cn.legalkoi.web.QuestionRoutes;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import cn.legalkoi.search.ReindexJob;
import cn.legalkoi.semantic.Embedder;
import cn.legalkoi.semantic.EmbeddingCache;
import cn.legalkoi.semantic.PassageVectors;
import cn.legalkoi.semantic.SemanticIndexing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the service together from one config: database, index, search, answers and the HTTP edge. */
public final class LegalKoi {
  private static final Logger LOG = LoggerFactory.getLogger(LegalKoi.class);
  private static final long STORE_POLL_MS = 5_000;
  private static final int BCRYPT_COST = 11;
  /** How often the calendar file is checked for an admin's edit. */
  private static final java.time.Duration CALENDAR_CHECK = java.time.Duration.ofMinutes(1);

  private final Vertx vertx;
  private final Store database;
  private final IndexService index;
  private final HttpServerVerticle http;
  private final ChatModule chat;
  private final TicketsModule tickets;
  private final CalendarSource calendar;
  private final AlertNotifier alerts;
  private final long pollTimer;
  private final Optional<ReindexJob> startupJob;
  /** How long a stop waits for acknowledged messages to be answered and their replies sent. */
  private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(20);
  private final String deploymentId;
  private final Retention retention;
  private final Optional<DataDirLock> lock;
  private final Observability observability;

  private LegalKoi(Vertx vertx, Store database, IndexService index, HttpServerVerticle http, ChatModule chat,
      TicketsModule tickets, CalendarSource calendar, AlertNotifier alerts, long pollTimer, Optional<ReindexJob> startupJob,
      String deploymentId, Retention retention, Optional<DataDirLock> lock, Observability observability) {
    this.retention = retention;
    this.lock = lock;
    this.observability = observability;
    this.chat = chat;
    this.tickets = tickets;
    this.calendar = calendar;
    this.alerts = alerts;
    this.deploymentId = deploymentId;
    this.vertx = vertx;
    this.database = database;
    this.index = index;
    this.http = http;
    this.pollTimer = pollTimer;
    this.startupJob = startupJob;
  }

  /** The parts that need no running server: used by the service and by the command-line tools. */
  public record Parts(KnowledgeSearcher searcher, AnswerService answers, IndexService index,
      Optional<SemanticIndexing> semantic) {
  }

  /**
   * Builds search and index parts. Reads the synonyms file and loads the embedding model when semantic
   * retrieval is on: blocking, call before serving.
   */
  public static Parts parts(Vertx vertx, AppConfig config) throws IOException {
    Analyzer bigrams = ChineseAnalysis.bigrams();
    Analyzer words = ChineseAnalysis.words();
    Synonyms synonyms = Files.isRegularFile(config.synonymsFile())
        ? Synonyms.parse(Utf8Files.read(config.synonymsFile())) : Synonyms.none();
    Optional<SemanticIndexing> semantic = Optional.empty();
    if (config.semantic().enabled()) {
      try {
        semantic = Optional.of(new SemanticIndexing(
            new Embedder(config.semantic().threads(), config.semantic().recentQuestions()),
            new EmbeddingCache(config.embeddingCacheFile())));
      } catch (java.sql.SQLException e) {
        throw new IOException("cannot open the embedding cache " + config.embeddingCacheFile(), e);
      }
    }
    KnowledgeSearcher searcher = new KnowledgeSearcher(bigrams, words, synonyms, config.ranking(),
        semantic.map(SemanticIndexing::embedder));
    Optional<Path> examplesFile = config.semantic().statuteExamples();
    if (examplesFile.isPresent() && semantic.isPresent()) {
      StatuteExamples examples = StatuteExamples.read(examplesFile.get(), questionVectors(semantic.get()));
      LOG.info("Statute search learns from {} labelled questions in {}", examples.size(), examplesFile.get());
      searcher = searcher.withExamples(examples);
    } else if (examplesFile.isPresent()) {
      LOG.warn("search.statuteExamples is set but semantic retrieval is off: the examples are not used");
    }
    AnswerService answers = new AnswerService(searcher, new ReplyComposer(config.publicBaseUrl(), config.promise()),
        intentModel(semantic), config.thresholds());
    IndexService index = new IndexService(vertx, new IndexStore(config.indexDir()),
        new KnowledgeLoader(config.knowledgeDirs()), ChineseAnalysis.perField(bigrams, words), config.maxIndexDropShare(),
        Clock.systemUTC(), Math.max(2, Runtime.getRuntime().availableProcessors() * 2), semantic);
    return new Parts(searcher, answers, index, semantic);
  }

  /**
   * Vectors of questions, read from the embedding cache where it has them and computed (and kept there)
   * otherwise. Blocking; not while a reindex writes the cache.
   */
  public static java.util.function.Function<List<String>, List<float[]>> questionVectors(SemanticIndexing semantic) {
    return texts -> {
      try {
        return PassageVectors.vectorsOf(texts, semantic.embedder(), semantic.cache());
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot read or write the embedding cache", e);
      }
    };
  }

  /**
   * The intent model, trained on the shipped tune set: by meaning when semantic retrieval is on (the examples'
   * vectors come from the embedding cache after the first start), by characters otherwise.
   */
  public static IntentModel intentModel(Optional<SemanticIndexing> semantic) throws IOException {
    List<LabelledQuestion> examples = LabelledQuestion.tuneSet();
    if (semantic.isEmpty()) {
      return IntentModel.byCharacters(examples);
    }
    Embedder embedder = semantic.get().embedder();
    return IntentModel.byMeaning(examples, questionVectors(semantic.get()),
        text -> embedder.embedQuestion(text).join());
  }

  private record Opened(Store database, UserService users, Parts parts, WebChatPage chatPage,
      ConsolePage consolePage, Optional<DataDirLock> lock) {
  }

  public static Future<LegalKoi> start(Vertx vertx, AppConfig config) {
    String fileNames = System.getProperty("sun.jnu.encoding", "");
    if (!fileNames.equalsIgnoreCase("UTF-8")) {
      LOG.warn("File names are decoded as {} in this locale: Chinese statute file names will show as '?' in reports."
          + " Run with a UTF-8 locale (e.g. LANG=C.UTF-8).", fileNames);
    }
    return vertx.executeBlocking(() -> {
      Files.createDirectories(config.dataDir());
      Optional<DataDirLock> lock = DataDirLock.tryAcquire(config.dataDir());
      if (lock.isEmpty()) {
        LOG.warn("Another process holds {}: a restore or a second service may be working on the same data",
            config.dataDir());
      }
      Store database = Store.open(vertx, config, Stream.of(UserService.MIGRATIONS,
          ChatModule.migrations(), TicketsModule.migrations(), GapsRoutes.migrations()).flatMap(List::stream)
          .toList());
      // the constructor hashes a decoy password: slow on purpose, so it is built here on a worker
      UserService users = new UserService(vertx, database, new PasswordHasher(BCRYPT_COST), Clock.systemUTC());
      return new Opened(database, users, parts(vertx, config), WebChatPage.fromClasspath(),
          ConsolePage.fromClasspath(), lock);
    }).compose(opened -> vertx.executeBlocking(() -> wire(vertx, config, opened))).compose(w -> {
      // the modules are built on a worker above: loading their classes must not hold an event loop
      return bootstrapAdmin(w.database(), w.users(), config)
          .compose(v -> w.departments().seed(config.tickets().departments()))
          .compose(v -> w.calendar().start(vertx, CALENDAR_CHECK))
          .compose(v -> w.parts().index().followOtherNodes(w.database().signals()))
          .compose(v -> w.parts().index().start())
          .compose(job -> w.observability().start(vertx).compose(v -> vertx.deployVerticle(w.http())).map(id -> {
            long timer = vertx.setPeriodic(STORE_POLL_MS, t -> w.parts().index().refreshFromStore()
                .onFailure(e -> LOG.warn("Could not check for a newly published index: {}", e.toString())));
            w.chat().start();
            w.tickets().start();
            w.retention().start();
            return new LegalKoi(vertx, w.database(), w.parts().index(), w.http(), w.chat(), w.tickets(), w.calendar(),
                w.alerts(), timer, job, id, w.retention(), w.lock(), w.observability());
          }));
    });
  }

  /** The service's parts, connected but not started. */
  private record Wired(Store database, UserService users, Parts parts, Departments departments,
      CalendarSource calendar, AlertNotifier alerts, TicketsModule tickets, ChatModule chat, HttpServerVerticle http,
      Retention retention, Optional<DataDirLock> lock, Observability observability) {
  }

  private static Wired wire(Vertx vertx, AppConfig config, Opened opened) {
    Store database = opened.database();
    Parts parts = opened.parts();
    UserService users = opened.users();
    Clock clock = Clock.systemUTC();
    ServiceMetrics metrics = config.metrics().enabled() ? ServiceMetrics.prometheus() : ServiceMetrics.none();
    DatabaseReadings readings = new DatabaseReadings(vertx, database, clock);
    readings.bindTo(metrics.registry());
    parts.index().useMetrics(metrics);
    Answers answers = new Answers(parts.index(), parts.answers(), metrics);
    Departments departments = new Departments(database, clock);
    AuditLog audit = new AuditLog(database, clock);
    CalendarSource calendar = new CalendarSource(config.sla());
    AlertNotifier alerts = new AlertNotifier(vertx, WebClient.create(vertx), config.alerts(), clock);
    CalendarDeadlines deadlines = new CalendarDeadlines(calendar, config.sla(), clock);
    TicketsModule tickets = new TicketsModule(vertx, database, clock, deadlines, config.tickets(), config.promise(),
        departments,
        (question, kind, limit) -> parts.index().onLiveIndex(g -> parts.searcher().search(g, question, limit, kind))
            .map(found -> found.orElse(List.of())),
        parts.answers().composer()::guidanceUrl,
        new TicketAlerts(alerts, config.publicBaseUrl(), config.sla().timeZone()), config.dataDir().resolve("files"));
    ChatModule chat = new ChatModule(vertx, database, answers, config, clock, tickets.handover());
    tickets.useOutbox(chat.outbox());
    tickets.useMetrics(metrics);
    chat.useMetrics(metrics);
    Observability observability = new Observability(config.metrics(), metrics, readings);
    tickets.useMediaSources(chat.mediaSources());
    List<RouteModule> routes = new ArrayList<>(List.of(
        new QuestionRoutes(parts.index(), parts.searcher(), answers, config.limits(),
            () -> new JsonObject().put("calendar", calendarHealth(calendar, deadlines))
                .put("channels", chat.channelsHealth()),
            readings),
        new GuidancePage(parts.index()),
        new AdminRoutes(users, departments, audit, parts.index(), clock),
        GapsRoutes.create(vertx, database, parts.index(), parts.searcher(), config.review(), clock),
        ProposalRoutes.create(database, parts.index(), config.knowledgeDirs(), clock, config.sla().timeZone())));
    java.nio.file.Path filesDir = config.dataDir().resolve("files");
    routes.add(new DataCareRoutes(vertx, database, config, clock, new OwnerData(vertx, database, clock, filesDir)));
    routes.addAll(chat.routes());
    routes.addAll(tickets.routes());
    routes.add(opened.chatPage());
    routes.add(opened.consolePage());
    HttpServerVerticle http = new HttpServerVerticle(config, routes, new WebKit(users), metrics);
    Retention retention = new Retention(vertx, database, clock, config.dataCare(), filesDir);
    return new Wired(database, users, parts, departments, calendar, alerts, tickets, chat, http, retention,
        opened.lock(), observability);
  }

  /** The calendar on {@code /health}: the years its file covers, and what the admin must add. */
  private static JsonObject calendarHealth(CalendarSource calendar, CalendarDeadlines deadlines) {
    List<String> warnings = deadlines.warnings();
    return new JsonObject().put("status", warnings.isEmpty() ? "UP" : "WARN")
        .put("fileYears", new io.vertx.core.json.JsonArray(List.copyOf(calendar.current().fileYears())))
        .put("warnings", new io.vertx.core.json.JsonArray(warnings));
  }

  private static Future<Void> bootstrapAdmin(Store database, UserService users, AppConfig config) {
    if (!database.wasCreated()) {
      return Future.succeededFuture();
    }
    String password = config.adminBootstrapPassword();
    boolean generated = password == null || password.isEmpty();
    if (generated) {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    String chosen = password;
    return users.create(UserService.BOOTSTRAP_ADMIN, chosen, Role.ADMIN).map(user -> {
      if (generated) {
        LOG.warn("Created user 'admin' with the generated password {} — it is shown only this once; sign in and"
            + " create named accounts.", chosen);
      } else {
        LOG.info("Created user 'admin' with the configured bootstrap password");
      }
      return null;
    });
  }

  /** Every HTTP route the service serves, "METHOD /path". */
  public List<String> routes() {
    return http.routes();
  }

  public int port() {
    return http.actualPort();
  }

  /** The build started at start-up, when there was no index or the knowledge files had changed. */
  public Optional<ReindexJob> startupJob() {
    return startupJob;
  }

  public ChatModule chat() {
    return chat;
  }

  public TicketsModule tickets() {
    return tickets;
  }

  public IndexService index() {
    return index;
  }

  /** The database every module shares (tools, and tests that take it away to see {@code /health} say so). */
  public Store database() {
    return database;
  }

  /** The port {@code /metrics} is served on; empty when metrics are off. */
  public Optional<Integer> metricsPort() {
    return observability.port();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(pollTimer);
    tickets.stop();
    retention.stop();
    alerts.close();
    calendar.stop(vertx);
    // no new messages (stream link closed, HTTP refusing new requests and finishing those it has), then the
    // acknowledged ones answered and their replies sent, and only then the database closed
    return chat.stopReceiving().compose(v -> vertx.undeploy(deploymentId)).compose(v -> chat.stop(STOP_GRACE))
        .compose(v -> database.leases().releaseAll().recover(e -> {
          LOG.warn("Could not give up this node's leases; they run out by themselves: {}", e.toString());
          return Future.succeededFuture();
        }))
        .compose(v -> observability.stop(vertx)).compose(v -> vertx.executeBlocking(() -> {
      index.close();
      database.close();
      if (lock.isPresent()) {
        lock.get().close();
      }
      return null;
    }));
  }
}
