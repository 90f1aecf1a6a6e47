package cn.legalkoi.web;

import cn.legalkoi.logging.LogFormat;
import cn.legalkoi.logging.RequestIds;
import cn.legalkoi.metrics.ServiceMetrics;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First on every public request: gives it an id ({@code X-Request-Id}, the caller's when it is plain, else a new
 * one, echoed in the response) that its log lines carry, and once the response ends records its latency by route
 * template and channel, and writes its access line.
 */
final class RequestTracking {
  static final String HEADER = "X-Request-Id";
  private static final Logger ACCESS = LoggerFactory.getLogger(LogFormat.ACCESS_LOGGER);
  private static final String WEBHOOKS = "/webhooks/";

  private final ServiceMetrics metrics;

  RequestTracking(ServiceMetrics metrics) {
    this.metrics = metrics;
  }

  void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    String id = RequestIds.acceptOrCreate(ctx.request().getHeader(HEADER));
    RequestIds.bind(id);
    ctx.response().putHeader(HEADER, id);
    ctx.addEndHandler(done -> {
      String method = ctx.request().method().name();
      String route = routeOf(ctx);
      int status = ctx.response().getStatusCode();
      long nanos = System.nanoTime() - started;
      metrics.httpRequest(method, route, channelOf(route), status, nanos);
      // the path logged is the route's template: a raw path may hold a ticket number or an owner's id
      ACCESS.info("{} {} {} {} ms", method, route, status, nanos / 1_000_000);
    });
    ctx.next();
  }

  /** The template of the last route that handled the request ({@code /api/v1/tickets/:id}), or {@code unmatched}. */
  static String routeOf(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    String path = route == null ? null : route.getPath();
    return path == null ? "unmatched" : path;
  }

  /** The webhook routes name their platform; the web chat's are {@code web}; everything else is no channel. */
  static String channelOf(String route) {
    if (route.startsWith(WEBHOOKS)) {
      int end = route.indexOf('/', WEBHOOKS.length());
      return route.substring(WEBHOOKS.length(), end < 0 ? route.length() : end);
    }
    return route.startsWith("/api/v1/chat/") ? "web" : "none";
  }
}
