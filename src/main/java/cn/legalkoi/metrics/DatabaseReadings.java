package cn.legalkoi.metrics;

import cn.legalkoi.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database says about the service's backlog: tickets by status and the outbox's pending and failed
 * replies. Read through the {@link Store} (so on its thread, never an event loop) on a timer; gauges show the last
 * reading, at most {@link #EVERY} old. {@link #probe} is the reading {@code /health} shows: taken afresh at most once
 * per {@link #PROBE_EVERY}, however often it is asked, with a timeout, so a locked database shows within seconds.
 */
public final class DatabaseReadings {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseReadings.class);
  public static final Duration EVERY = Duration.ofSeconds(15);
  /** How long one {@link #probe} serves every {@code /health} that asks. */
  static final Duration PROBE_EVERY = Duration.ofSeconds(1);
  private static final List<String> TICKET_STATES = List.of("open", "claimed", "resolved");

  /** One reading; {@code oldestPendingAt} is 0 when nothing is pending. */
  public record Reading(Map<String, Long> ticketsByStatus, long outboxPending, long outboxFailed,
      long oldestPendingAt) {
    static final Reading EMPTY = new Reading(Map.of(), 0, 0, 0);
  }

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final AtomicReference<Reading> last = new AtomicReference<>(Reading.EMPTY);
  /** The probe {@code /health} callers share, and when it started (clock millis). */
  private final AtomicReference<Probe> probe = new AtomicReference<>();
  private long timer = -1;

  public DatabaseReadings(Vertx vertx, Store store, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
  }

  public void bindTo(MeterRegistry registry) {
    for (String status : TICKET_STATES) {
      Gauge.builder("legal_koi.tickets", last, r -> r.get().ticketsByStatus().getOrDefault(status, 0L))
          .description("Tickets by status (read from the database at most 15 s ago)").tag("status", status)
          .register(registry);
    }
    Gauge.builder("legal_koi.outbox.pending", last, r -> r.get().outboxPending())
        .description("Replies waiting to be delivered").register(registry);
    Gauge.builder("legal_koi.outbox.failed", last, r -> r.get().outboxFailed())
        .description("Replies given up on and kept as failed").register(registry);
    Gauge.builder("legal_koi.outbox.oldest.pending.age", last, r -> ageSeconds(r.get()))
        .description("Age of the oldest pending reply").baseUnit("seconds").register(registry);
  }

  public void start() {
    timer = vertx.setPeriodic(0, EVERY.toMillis(), t -> readNow(EVERY)
        .onFailure(e -> LOG.warn("Could not read the backlog from the database: {}", e.toString())));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** A fresh reading, failed when the database does not answer within {@code timeout}. */
  private Future<Reading> readNow(Duration timeout) {
    return store.run(DatabaseReadings::read).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(last::set);
  }

  private record Probe(Future<Reading> reading, long startedAt) {
  }

  /**
   * The latest reading, failed when the database did not answer within {@code timeout}: a probe started less than
   * {@link #PROBE_EVERY} ago (finished or still running) is shared, so {@code /health} costs the database at most
   * one small query a second.
   */
  public Future<Reading> probe(Duration timeout) {
    long now = clock.millis();
    Probe current = probe.get();
    if (current != null && now - current.startedAt() < PROBE_EVERY.toMillis()) {
      return current.reading();
    }
    Probe fresh = new Probe(readNow(timeout), now);
    return probe.compareAndSet(current, fresh) ? fresh.reading() : probe.get().reading();
  }

  /** Why the database refuses writes, while the last writes showed it does (a full disk still serves reads). */
  public Optional<String> writeTrouble() {
    return store.writeTrouble();
  }

  /** Seconds since the oldest pending reply was queued; 0 when none is pending. */
  public double ageSeconds(Reading reading) {
    return reading.oldestPendingAt() == 0 ? 0 : Math.max(0, clock.millis() - reading.oldestPendingAt()) / 1000.0;
  }

  private static Reading read(Connection c) throws SQLException {
    Map<String, Long> tickets = new TreeMap<>();
    long pending = 0;
    long failed = 0;
    long oldest = 0;
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM tickets GROUP BY status")) {
        while (rs.next()) {
          tickets.put(rs.getString(1), rs.getLong(2));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT state, COUNT(*), MIN(created_at) FROM outbox"
          + " WHERE state IN ('pending', 'failed') GROUP BY state")) {
        while (rs.next()) {
          if ("pending".equals(rs.getString(1))) {
            pending = rs.getLong(2);
            oldest = rs.getLong(3);
          } else {
            failed = rs.getLong(2);
          }
        }
      }
    }
    return new Reading(Map.copyOf(tickets), pending, failed, oldest);
  }
}
