package cn.legalkoi.web;

import cn.legalkoi.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP edge: every package's routes mounted by its own module, and the JSON error pages they share. */
public final class HttpServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServerVerticle.class);

  private static final long SHUTDOWN_GRACE_SECONDS = 5;
  private final AppConfig config;
  private final List<RouteModule> modules;
  private final WebKit web;
  private final RequestTracking tracking;
  private final ClientAddress clientAddress;
  private HttpServer server;

  private final List<String> declared = new java.util.concurrent.CopyOnWriteArrayList<>();

  public HttpServerVerticle(AppConfig config, List<RouteModule> modules, WebKit web) {
    this(config, modules, web, cn.legalkoi.metrics.ServiceMetrics.none());
  }

  public HttpServerVerticle(AppConfig config, List<RouteModule> modules, WebKit web,
      cn.legalkoi.metrics.ServiceMetrics metrics) {
    this.tracking = new RequestTracking(metrics);
    this.clientAddress = new ClientAddress(config.http().trustedProxies());
    this.config = config;
    this.modules = List.copyOf(modules);
    this.web = web;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      clientAddress.remember(ctx);
      tracking.handle(ctx);
    });
    modules.forEach(module -> module.mount(router, web));

    router.errorHandler(404, ctx -> Replies.error(ctx, 404, "not_found", "没有这个地址"));
    router.errorHandler(405, ctx -> Replies.error(ctx, 405, "method_not_allowed", "不支持这个请求方法"));
    router.errorHandler(413, ctx -> Replies.error(ctx, 413, "payload_too_large", "请求内容太大"));
    router.errorHandler(400, ctx -> Replies.badRequest(ctx, "请求格式不正确"));
    router.errorHandler(500, ctx -> {
      java.util.Optional<String> trouble = cn.legalkoi.store.StoreTrouble.of(ctx.failure());
      if (trouble.isPresent()) {
        LOG.error("Request {} {} refused for now: {}", ctx.request().method(), ctx.request().path(), trouble.get());
        ctx.response().putHeader("Retry-After", "5");
        Replies.error(ctx, 503, "database_unavailable", "服务暂时无法保存，请稍后再试");
        return;
      }
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      Replies.error(ctx, 500, "internal_error", "服务暂时出错了，请稍后再试");
    });

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16 * 1024)
        .setCompressionSupported(true);
    for (io.vertx.ext.web.Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null) {
        route.methods().forEach(m -> declared.add(m.name() + " " + route.getPath()));
      }
    }
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> {
      server = s;
      LOG.info("legal-koi listening on http://{}:{}", config.http().host(), s.actualPort());
    });
  }

  /**
   * Stops accepting connections and lets the requests under way finish (a platform's message is acknowledged only
   * once recorded); a request still open after the grace period, such as a long poll, is cut and its client retries.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  /** Every route with a path and method, as "METHOD /path/:param" (for checking that each one checks its role). */
  public List<String> routes() {
    return List.copyOf(new java.util.LinkedHashSet<>(declared));
  }

  /** The port actually bound (differs from the config when it asked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
