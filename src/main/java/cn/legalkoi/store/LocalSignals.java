package cn.legalkoi.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

/** One node: signals go over this process's event bus. */
final class LocalSignals implements ClusterSignals {
  private static final String PREFIX = "legal-koi.signal.";

  private final Vertx vertx;

  LocalSignals(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> publish(String topic, String payload) {
    vertx.eventBus().publish(PREFIX + topic, payload);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> subscribe(String topic, Handler<String> handler) {
    vertx.eventBus().<String>localConsumer(PREFIX + topic, m -> handler.handle(m.body()));
    return Future.succeededFuture();
  }
}
