package cn.legalkoi.tickets;

import cn.legalkoi.chat.Handover;
import cn.legalkoi.chat.Outbox;
import cn.legalkoi.config.ServicePromise;
import cn.legalkoi.store.Migration;
import cn.legalkoi.store.Store;
import cn.legalkoi.users.Departments;
import cn.legalkoi.web.RouteModule;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The advisers' side, wired: the desk the conversation core hands owners to, the tickets service and its routes,
 * the change feed for consoles, the deadline watch with its alerts, and the admins' monthly 315 report.
 */
public final class TicketsModule {
  private static final Duration WATCH_EVERY = Duration.ofSeconds(30);
  private static final Duration FETCH_EVERY = Duration.ofMinutes(1);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TicketsModule.class);

  private final TicketChanges changes;
  private final TicketDesk desk;
  private final Tickets tickets;
  private final DeadlineWatch watch;
  private final TicketRoutes routes;
  private final ContactPurge purge;
  private final Vertx vertx;
  private final Store store;
  private long purgeTimer = -1;
  private final ReportRoutes report;
  private final AtomicReference<Outbox> outbox = new AtomicReference<>();
  private final MediaFetcher files;

  public TicketsModule(Vertx vertx, Store store, Clock clock, DeadlinePolicy deadlines, TicketsSettings settings,
      ServicePromise promise, Departments departments, TicketRoutes.Suggestions suggestions,
      Function<String, String> guidanceUrl, TicketAlertSink alerts, java.nio.file.Path filesDir) {
    this.vertx = vertx;
    this.store = store;
    this.purge = new ContactPurge(store, clock, Duration.ofDays(settings.contactRetentionDays()));
    this.changes = new TicketChanges(vertx, store.signals());
    this.watch = new DeadlineWatch(vertx, store, clock, alerts, changes::publish);
    this.files = new MediaFetcher(vertx, store, clock, filesDir, settings.maxFileBytes(), changes::publish);
    this.desk = new TicketDesk(deadlines, settings, promise, () -> {
      changes.publish();
      watch.check();
      files.kick();
    });
    this.tickets = new Tickets(store, deadlines, clock, outbox::get, changes);
    this.routes = new TicketRoutes(tickets, departments, changes, deadlines, suggestions, guidanceUrl,
        files::pathOf);
    this.report = new ReportRoutes(store, clock, deadlines.zone());
  }

  public static List<Migration> migrations() {
    return TicketStore.MIGRATIONS;
  }

  /** Where escalations become tickets; give it to the chat module. */
  public Handover handover() {
    return desk;
  }

  /** The outbox advisers' replies leave through, once the chat module has made it. */
  public void useOutbox(Outbox chatOutbox) {
    outbox.set(chatOutbox);
  }

  /** Where owners' pictures and files are fetched from, once the chat module has its channels. */
  public void useMediaSources(java.util.Map<cn.legalkoi.chat.Channel, cn.legalkoi.chat.MediaSource> sources) {
    files.useSources(sources);
  }

  /** Counts escalations and deadline alerts into {@code metrics}, and shows the deadlines standing now. */
  public void useMetrics(cn.legalkoi.metrics.ServiceMetrics metrics) {
    desk.useMetrics(metrics);
    watch.useMetrics(metrics);
  }

  public List<RouteModule> routes() {
    return List.of(routes, report);
  }

  public void start() {
    watch.start(WATCH_EVERY);
    files.start(FETCH_EVERY);
    // once across the nodes sharing the database: on the node holding the lease
    purgeTimer = vertx.setPeriodic(0, PURGE_EVERY.toMillis(), t -> store.leases()
        .whenHeld("contact-purge", PURGE_EVERY.multipliedBy(2), this::purgeContacts, 0)
        .onFailure(e -> LOG.warn("Could not delete expired contact details: {}", e.toString())));
  }

  public void stop() {
    watch.stop();
    files.stop();
    if (purgeTimer >= 0) {
      vertx.cancelTimer(purgeTimer);
    }
  }

  /** Deletes the contact details kept past their retention period; the number of tickets cleared. */
  public io.vertx.core.Future<Integer> purgeContacts() {
    return purge.run();
  }

  /** One round of the deadline watch now (tests, and after a change): the number of breaches recorded. */
  public io.vertx.core.Future<Integer> checkDeadlines() {
    return watch.check();
  }
}
