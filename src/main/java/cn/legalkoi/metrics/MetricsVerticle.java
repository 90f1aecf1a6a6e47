package cn.legalkoi.metrics;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on a listener of its own ({@code metrics.host}/{@code metrics.port}, loopback by default), so
 * the public port never serves it and a firewall can keep it to the scraper.
 */
public final class MetricsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final ServiceMetrics metrics;
  private final String host;
  private final int port;
  private HttpServer server;

  public MetricsVerticle(ServiceMetrics metrics, String host, int port) {
    this.metrics = metrics;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // rendering walks every meter: a worker does it, so a slow scrape never holds the event loop
    router.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::scrape, false).onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
      } else {
        ctx.response().putHeader("Content-Type", TEXT_FORMAT).end(r.result());
      }
    }));
    return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> {
      server = s;
      LOG.info("Metrics on http://{}:{}/metrics", host, s.actualPort());
    });
  }

  public int actualPort() {
    return server.actualPort();
  }
}
