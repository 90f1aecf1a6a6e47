package cn.legalkoi.metrics;

import cn.legalkoi.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/** The metrics side of the service: its meters, the database readings behind some of them, and their listener. */
public final class Observability {
  private final AppConfig.Metrics config;
  private final ServiceMetrics metrics;
  private final DatabaseReadings readings;
  private MetricsVerticle listener;
  private String deploymentId;

  public Observability(AppConfig.Metrics config, ServiceMetrics metrics, DatabaseReadings readings) {
    this.config = config;
    this.metrics = metrics;
    this.readings = readings;
  }

  /** Starts the readings and, when metrics are on, the listener. */
  public Future<Void> start(Vertx vertx) {
    if (!config.enabled()) {
      return Future.succeededFuture();
    }
    readings.start();
    listener = new MetricsVerticle(metrics, config.host(), config.port());
    return vertx.deployVerticle(listener).onSuccess(id -> deploymentId = id).mapEmpty();
  }

  public Optional<Integer> port() {
    return deploymentId == null ? Optional.empty() : Optional.of(listener.actualPort());
  }

  public Future<Void> stop(Vertx vertx) {
    readings.stop();
    Future<Void> undeployed = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    return undeployed.onComplete(r -> metrics.close());
  }
}
