package cn.legalkoi.tickets;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the deadlines: records each breach once per milestone, against the department that held the ticket when
 * the deadline passed, and raises each alert once (a new ticket, a milestone at risk, a milestone breached). A
 * milestone is at risk when a quarter of its span is left; {@code respond}, whose span may run overnight, when ten
 * minutes are left (the console colours them by the same rule). Runs on a timer and
 * after every change, and catches up after a restart from what the database holds.
 */
final class DeadlineWatch {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineWatch.class);
  static final Duration RESPOND_AT_RISK = Duration.ofMinutes(10);
  static final double AT_RISK_SHARE = 0.25;
  /** Resolved tickets are looked at this long after their last change, for milestones met late. */
  private static final Duration LATE_LOOK = Duration.ofDays(2);

  /** One alert decided in a round, sent once the round's transaction has committed. */
  private record Raised(Ticket ticket, String kind, String milestone, long due) {
  }

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final TicketAlertSink alerts;
  private final Runnable onChange;
  private long timer = -1;
  private long rounds;
  private boolean running;
  private volatile cn.legalkoi.metrics.ServiceMetrics metrics = cn.legalkoi.metrics.ServiceMetrics.none();
  /** Milestones of unresolved tickets at risk and breached now, as of the last round: [at risk, breached]. */
  private volatile long[] standing = {0, 0};

  DeadlineWatch(Vertx vertx, Store store, Clock clock, TicketAlertSink alerts, Runnable onChange) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.alerts = alerts;
    this.onChange = onChange;
  }

  void useMetrics(cn.legalkoi.metrics.ServiceMetrics serviceMetrics) {
    this.metrics = serviceMetrics;
    io.micrometer.core.instrument.Gauge.builder("legal_koi.deadlines", this, w -> w.standing[0])
        .description("Milestones of unresolved tickets at risk now (as of the last deadline round)")
        .tag("state", "at_risk").register(serviceMetrics.registry());
    io.micrometer.core.instrument.Gauge.builder("legal_koi.deadlines", this, w -> w.standing[1])
        .description("Milestones of unresolved tickets at risk now (as of the last deadline round)")
        .tag("state", "breached").register(serviceMetrics.registry());
  }

  /**
   * Checks every {@code every} on whichever node holds the {@code deadline-watch} lease, so that nodes sharing the
   * database raise each alert once; another node takes over within three periods of the holder stopping.
   */
  void start(Duration every) {
    Duration lease = every.multipliedBy(3);
    timer = vertx.setPeriodic(0, every.toMillis(), t -> cn.legalkoi.logging.RequestIds.within(vertx,
        "deadline-watch-" + (++rounds), () -> store.leases().whenHeld("deadline-watch", lease, this::check, 0)));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One round; a round already running makes this a no-op. The number of breaches it recorded. */
  synchronized Future<Integer> check() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return store.run(this::round).map(raised -> {
      long breaches = raised.stream().filter(r -> "breached".equals(r.kind())).count();
      raised.forEach(r -> alerts.alert(r.ticket(), r.kind(), r.milestone(), r.due()));
      raised.stream().filter(r -> !"new".equals(r.kind())).forEach(r -> metrics.deadlineAlert(r.kind()));
      if (breaches > 0) {
        onChange.run();
      }
      return (int) breaches;
    }).onFailure(e -> LOG.warn("Could not check the tickets' deadlines: {}", e.toString()))
        .onComplete(r -> {
          synchronized (this) {
            running = false;
          }
        });
  }

  private List<Raised> round(Connection c) throws SQLException {
    long now = clock.millis();
    List<Raised> raised = new ArrayList<>();
    long[] counted = {0, 0};
    c.setAutoCommit(false);
    try {
      for (Ticket t : TicketStore.select(c, "WHERE status != 'resolved' OR updated_at >= ?",
          now - LATE_LOOK.toMillis())) {
        if (!t.isResolved()) {
          stand(counted, "respond", t.openedAt(), t.respondDue(), t.respondMetAt(), now);
          stand(counted, t.finalMilestone(), t.openedAt(), t.finalDue(), t.finalMetAt(), now);
        }
        if (!t.isResolved() && TicketStore.markAlert(c, t.id(), "new", "", now)) {
          raised.add(new Raised(t, "new", "respond", t.respondDue()));
        }
        look(c, t, "respond", t.openedAt(), t.respondDue(), t.respondMetAt(), now, raised);
        look(c, t, t.finalMilestone(), t.openedAt(), t.finalDue(), t.finalMetAt(), now, raised);
      }
      c.commit();
      standing = counted;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    return raised;
  }

  private static void look(Connection c, Ticket t, String milestone, long from, long due, long metAt, long now,
      List<Raised> raised) throws SQLException {
    boolean late = metAt > due || (metAt == 0 && now > due);
    if (late) {
      if (TicketStore.recordBreach(c, t.id(), milestone, due, departmentAt(c, t, due), now)) {
        TicketStore.history(c, t.id(), now, TicketStore.SYSTEM, "breached", new JsonObject().put("milestone", milestone));
      }
      if (metAt == 0 && !t.isResolved() && TicketStore.markAlert(c, t.id(), "breached", milestone, now)) {
        raised.add(new Raised(t, "breached", milestone, due));
      }
      return;
    }
    if (metAt == 0 && !t.isResolved() && atRisk(milestone, from, due, now)
        && TicketStore.markAlert(c, t.id(), "at_risk", milestone, now)) {
      raised.add(new Raised(t, "at_risk", milestone, due));
    }
  }

  /** Counts an unmet milestone of an unresolved ticket as breached or at risk now. */
  private static void stand(long[] counted, String milestone, long from, long due, long metAt, long now) {
    if (metAt != 0) {
      return;
    }
    if (now > due) {
      counted[1]++;
    } else if (atRisk(milestone, from, due, now)) {
      counted[0]++;
    }
  }

  static boolean atRisk(String milestone, long from, long due, long now) {
    long left = due - now;
    if ("respond".equals(milestone)) {
      return left <= RESPOND_AT_RISK.toMillis();
    }
    return left <= (due - from) * AT_RISK_SHARE;
  }

  /** The department that held the ticket at {@code at}: the last transfer before then, or where it was opened. */
  private static String departmentAt(Connection c, Ticket t, long at) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT action, detail FROM ticket_history WHERE ticket_id = ?"
        + " AND action IN ('opened', 'transferred') AND at <= ? ORDER BY id DESC LIMIT 1")) {
      st.setLong(1, t.id());
      st.setLong(2, at);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next() && rs.getString(2) != null) {
          JsonObject detail = new JsonObject(rs.getString(2));
          String held = "opened".equals(rs.getString(1)) ? detail.getString("department") : detail.getString("to");
          if (held != null) {
            return held;
          }
        }
      }
    }
    return t.department();
  }
}
