package cn.legalkoi.web;

import cn.legalkoi.answer.Answers;
import cn.legalkoi.chat.Channel;
import cn.legalkoi.answer.AskReply;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.SearchAdmission;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.SearchHit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import cn.legalkoi.metrics.DatabaseReadings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The public question endpoints: {@code /health}, {@code /api/v1/search} and {@code /api/v1/ask}. */
public final class QuestionRoutes implements RouteModule {
  private static final int DEFAULT_LIMIT = 10;
  /** How long {@code /health} waits for the database's answer before calling it down. */
  private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);

  private final IndexService index;
  private final KnowledgeSearcher searcher;
  private final Answers answers;
  private final AppConfig.Limits limits;

  private final java.util.function.Supplier<JsonObject> health;
  private final DatabaseReadings database;

  /**
   * @param health what other parts report on {@code /health} beside the index (the calendar's coverage …)
   * @param database the live reading that says whether the database answers, and the outbox's backlog
   */
  public QuestionRoutes(IndexService index, KnowledgeSearcher searcher, Answers answers, AppConfig.Limits limits,
      java.util.function.Supplier<JsonObject> health, DatabaseReadings database) {
    this.health = health;
    this.database = database;
    this.index = index;
    this.searcher = searcher;
    this.answers = answers;
    this.limits = limits;
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/health").handler(this::health);
    router.get("/api/v1/search").handler(this::search);
    router.post("/api/v1/ask").handler(web.bodyLimit(limits.maxBodyBytes())).handler(this::ask);
  }

  void health(RoutingContext ctx) {
    Optional<int[]> stats = index.stats();
    if (stats.isEmpty()) {
      Replies.json(ctx, 503, new JsonObject().put("status", "STARTING"));
      return;
    }
    JsonObject body = new JsonObject().put("status", "UP")
        .put("index", new JsonObject().put("status", "UP").put("documents", stats.get()[0])
            .put("passages", stats.get()[1]).put("semantic", index.semanticState()));
    database.probe(DATABASE_TIMEOUT).onComplete(read -> {
      Optional<String> trouble = database.writeTrouble();
      boolean up = read.succeeded() && trouble.isEmpty();
      JsonObject db = new JsonObject().put("status", up ? "UP" : "DOWN");
      trouble.ifPresent(reason -> db.put("reason", reason));
      body.put("database", db);
      if (read.succeeded()) {
        DatabaseReadings.Reading r = read.result();
        body.put("outbox", new JsonObject().put("pending", r.outboxPending())
            .put("oldestPendingAgeSeconds", Math.round(database.ageSeconds(r))).put("failed", r.outboxFailed()));
      } else if (trouble.isEmpty()) {
        db.put("reason", cn.legalkoi.store.StoreTrouble.of(read.cause())
            .orElse("no answer to a read: " + read.cause().getMessage()));
      }
      if (!up) {
        body.put("status", "DEGRADED");
      }
      health.get().forEach(part -> body.put(part.getKey(), part.getValue()));
      Replies.json(ctx, up ? 200 : 503, body);
    });
  }

  void search(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    Optional<String> problem = questionProblem(q, "q");
    if (problem.isPresent()) {
      Replies.badRequest(ctx, problem.get());
      return;
    }
    String limitParam = ctx.request().getParam("limit");
    int limit = DEFAULT_LIMIT;
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam.strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > limits.maxSearchResults()) {
        Replies.badRequest(ctx, "limit 应为 1 到 " + limits.maxSearchResults() + " 之间的整数");
        return;
      }
    }
    String kind = ctx.request().getParam("kind");
    if (kind != null && !SearchHit.GUIDANCE.equals(kind) && !SearchHit.STATUTE.equals(kind)) {
      Replies.badRequest(ctx, "kind 只能是 guidance 或 statute");
      return;
    }
    int resultLimit = limit;
    index.onLiveIndex(g -> searcher.search(g, q, resultLimit, kind)).onComplete(result -> {
      if (result.failed() && result.cause() instanceof SearchAdmission.Overloaded busy) {
        busy(ctx, busy);
      } else if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isEmpty()) {
        notReady(ctx);
      } else {
        Replies.json(ctx, 200, new JsonObject().put("results", hitsJson(result.result().get())));
      }
    });
  }

  void ask(RoutingContext ctx) {
    Optional<JsonObject> body = RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    String question = RequestBodies.string(body.get(), "question");
    Optional<String> problem = questionProblem(question, "question");
    if (problem.isPresent()) {
      Replies.badRequest(ctx, problem.get());
      return;
    }
    answers.ask(question).onComplete(result -> {
      if (result.failed() && result.cause() instanceof Answers.NotReadyException) {
        notReady(ctx);
      } else if (result.failed() && result.cause() instanceof SearchAdmission.Overloaded busy) {
        busy(ctx, busy);
      } else if (result.failed()) {
        ctx.fail(result.cause());
      } else {
        AskReply reply = result.result();
        Replies.json(ctx, 200, new JsonObject()
            .put("kind", reply.kind().wireName())
            .put("text", Channel.WEB.textOf(reply))
            .put("docIds", new JsonArray(reply.docIds()))
            .put("citations", new JsonArray(reply.citations())));
      }
    });
  }

  private Optional<String> questionProblem(String text, String name) {
    if (text == null || text.isBlank()) {
      return Optional.of("请填写问题（" + name + " 不能为空）");
    }
    if (text.codePointCount(0, text.length()) > limits.maxQuestionChars()) {
      return Optional.of("问题太长了，请控制在 " + limits.maxQuestionChars() + " 字以内");
    }
    return Optional.empty();
  }

  private static void busy(RoutingContext ctx, SearchAdmission.Overloaded busy) {
    ctx.response().putHeader("Retry-After", Long.toString(busy.retryAfterSeconds()));
    Replies.error(ctx, 503, "busy", "服务正忙，请稍后再试");
  }

  private static void notReady(RoutingContext ctx) {
    ctx.response().putHeader("Retry-After", "5");
    Replies.error(ctx, 503, "starting", "知识库索引正在建立，请稍后再试");
  }

  private static JsonArray hitsJson(List<SearchHit> hits) {
    JsonArray results = new JsonArray();
    for (SearchHit hit : hits) {
      results.add(new JsonObject()
          .put("docId", hit.docId())
          .put("kind", hit.kind())
          .put("title", hit.title())
          .put("citation", hit.citation())
          .put("score", hit.score())
          .put("snippet", hit.snippet()));
    }
    return results;
  }
}
