package cn.legalkoi.testing;

import static cn.legalkoi.testing.TestService.await;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x tests run the service on: its blocked-thread checker looks every 20 ms and reports, with the blocked
 * thread's stack, an event loop busy for more than {@value #MAX_EVENT_LOOP_MILLIS} ms (production keeps Vert.x's
 * 2 s); {@link BlockedThreadDetector} fails the test.
 */
public final class TestVertx {
  public static final long MAX_EVENT_LOOP_MILLIS = 200;

  private static boolean warm;

  private TestVertx() {
  }

  public static Vertx create() throws Exception {
    return create(MAX_EVENT_LOOP_MILLIS);
  }

  /**
   * With a longer limit, for a test that saturates the CPU on purpose: there an event loop also waits for a core
   * by scheduling alone, which the short limit would report although no code blocks it.
   */
  public static Vertx create(long maxEventLoopMillis) throws Exception {
    warmUpOnce();
    return Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(maxEventLoopMillis).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
  }

  /**
   * The first HTTP exchange in a JVM holds an event loop for some 300 ms while Netty opens its first channel and
   * registers its JFR events, and the first JSON encoding as long while Jackson's classes load. Both are done once
   * here, under Vert.x's default limit, so the short limit measures the service and not the JVM warming up.
   */
  private static synchronized void warmUpOnce() throws Exception {
    if (warm) {
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = await(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
      await(WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/").send());
      Json.decodeValue(new JsonObject().put("warm", true).encode());
      warm = true;
    } finally {
      await(vertx.close());
    }
  }
}
