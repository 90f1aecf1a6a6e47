package cn.legalkoi.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The service's meters, named here once. Labels carry route templates, channel names and outcome words, never an
 * owner's id, a raw path or a question. {@link #none()} counts into nothing, for tools and tests that serve no
 * metrics.
 */
public final class ServiceMetrics implements AutoCloseable {
  private static final Duration[] HTTP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private static final Duration[] REINDEX_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5),
      Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)};

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private JvmGcMetrics gc;

  private ServiceMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  /**
   * A Prometheus registry with the JVM's memory, GC, thread, class and CPU meters. Blocking the first time (it
   * loads the meters' classes): call it from a worker.
   */
  public static ServiceMetrics prometheus() {
    warmUp();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServiceMetrics metrics = new ServiceMetrics(prometheus, prometheus);
    new JvmMemoryMetrics().bindTo(prometheus);
    metrics.gc = new JvmGcMetrics();
    metrics.gc.bindTo(prometheus);
    new JvmThreadMetrics().bindTo(prometheus);
    new ClassLoaderMetrics().bindTo(prometheus);
    new ProcessorMetrics().bindTo(prometheus);
    new UptimeMetrics().bindTo(prometheus);
    return metrics;
  }

  /**
   * Records into and renders a throwaway registry, so the classes behind a histogram timer and the text format
   * are loaded here and not on the event loop that serves the first request.
   */
  private static void warmUp() {
    ServiceMetrics scratch = new ServiceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null);
    scratch.httpRequest("GET", "/", "none", 200, 1_000_000);
    scratch.answer("answer");
    scratch.reindex("done", Duration.ofSeconds(1));
    ((PrometheusMeterRegistry) scratch.registry).scrape();
    scratch.close();
  }

  /** Meters that record nothing (a composite registry with no members). */
  public static ServiceMetrics none() {
    return new ServiceMetrics(new CompositeMeterRegistry(), null);
  }

  /** Where gauges are registered. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Everything in the Prometheus text format (version 0.0.4); empty for {@link #none()}. */
  public String scrape() {
    return prometheus == null ? "" : prometheus.scrape();
  }

  /** One HTTP request: {@code route} is the route's template ({@code /api/v1/tickets/:id}) or {@code unmatched}. */
  public void httpRequest(String method, String route, String channel, int status, long nanos) {
    Timer.builder("legal_koi.http.requests").description("HTTP requests on the public port, by route template")
        .tags("method", method, "route", route, "channel", channel, "status", Integer.toString(status))
        .serviceLevelObjectives(HTTP_BUCKETS)
        .register(registry).record(Duration.ofNanos(nanos));
  }

  /** One reply worked out, by kind ({@code answer}, {@code clarify}, {@code escalate} …). */
  public void answer(String kind) {
    Counter.builder("legal_koi.answers").description("Replies worked out, by kind").tag("kind", kind)
        .register(registry).increment();
  }

  /** One owner handed to advisers (a ticket opened), by channel. */
  public void escalation(String channel) {
    Counter.builder("legal_koi.escalations").description("Tickets opened for owners, by channel")
        .tag("channel", channel).register(registry).increment();
  }

  /** One deadline alert raised: {@code at_risk} or {@code breached}. */
  public void deadlineAlert(String kind) {
    Counter.builder("legal_koi.deadline.alerts").description("Deadline alerts raised (a milestone at risk or breached)")
        .tag("kind", kind).register(registry).increment();
  }

  /** One failed attempt to deliver an outbox message; {@code permanent} when it will not be tried again. */
  public void outboxFailure(String channel, boolean permanent) {
    Counter.builder("legal_koi.outbox.failures").description("Failed attempts to deliver a reply")
        .tags("channel", channel, "permanent", Boolean.toString(permanent)).register(registry).increment();
  }

  /** One reindex that ended: {@code done} or {@code failed}. */
  public void reindex(String outcome, Duration took) {
    Timer.builder("legal_koi.reindex").description("Knowledge reindex durations").tag("outcome", outcome)
        .serviceLevelObjectives(REINDEX_BUCKETS).register(registry).record(took);
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
