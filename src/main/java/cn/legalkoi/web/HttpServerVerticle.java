package cn.legalkoi.web;

import cn.legalkoi.answer.AnswerService;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.users.Role;
import cn.legalkoi.users.UserService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge: every route in one block, each authenticated, then validated, then acted on. */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerVerticle.class);
  private static final int SMALL_BODY = 4 * 1024;

  private final AppConfig config;
  private final QuestionRoutes questions;
  private final AdminRoutes admin;
  private final GuidancePage guidance;
  private final AuthHandler auth;
  private HttpServer server;

  public HttpServerVerticle(AppConfig config, IndexService index, KnowledgeSearcher searcher, AnswerService answers,
      UserService users) {
    this.config = config;
    this.questions = new QuestionRoutes(index, searcher, answers, config.limits());
    this.admin = new AdminRoutes(users, index, new LoginThrottle(java.time.Clock.systemUTC()));
    this.guidance = new GuidancePage(index);
    this.auth = new AuthHandler(users);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    BodyHandler smallBody = BodyHandler.create(false).setBodyLimit(SMALL_BODY);
    BodyHandler questionBody = BodyHandler.create(false).setBodyLimit(config.limits().maxBodyBytes());

    router.get("/health").handler(questions::health);
    router.get("/api/v1/search").handler(questions::search);
    router.post("/api/v1/ask").handler(questionBody).handler(questions::ask);
    router.get("/guidance/:id").handler(guidance::show);

    router.post("/api/v1/auth/login").handler(smallBody).handler(admin::login);
    router.post("/api/v1/admin/reindex").handler(auth.require(Role.ADMIN)).handler(admin::startReindex);
    router.get("/api/v1/admin/reindex/:jobId").handler(auth.require(Role.ADMIN)).handler(admin::reindexStatus);
    router.post("/api/v1/admin/users").handler(smallBody).handler(auth.require(Role.ADMIN)).handler(admin::createUser);

    router.errorHandler(404, ctx -> Replies.error(ctx, 404, "not_found", "没有这个地址"));
    router.errorHandler(405, ctx -> Replies.error(ctx, 405, "method_not_allowed", "不支持这个请求方法"));
    router.errorHandler(413, ctx -> Replies.error(ctx, 413, "payload_too_large", "请求内容太大"));
    router.errorHandler(400, ctx -> Replies.badRequest(ctx, "请求格式不正确"));
    router.errorHandler(500, ctx -> {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      Replies.error(ctx, 500, "internal_error", "服务暂时出错了，请稍后再试");
    });

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16 * 1024)
        .setCompressionSupported(true);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> {
      server = s;
      LOG.info("legal-koi listening on http://{}:{}", config.http().host(), s.actualPort());
    });
  }

  /** The port actually bound (differs from the config when it asked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
