package cn.legalkoi.datacare;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The daily retention round. A ticket resolved more than {@code closedTicketDays} ago loses its content by the
 * {@link OwnerContent} rules (its conversation up to the resolution, its question, notes, files and contact
 * details); audit log rows older than {@code auditDays} are deleted. A reopened ticket is not resolved, so it keeps
 * everything until it is resolved again and that resolution ages out.
 */
public final class Retention {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Retention.class);
  public static final Duration EVERY = Duration.ofDays(1);
  private long rounds;

  private final Vertx vertx;
  private final Store store;
  private final Clock clock;
  private final DataCareSettings settings;
  private final Path filesDir;
  private long timer = -1;

  public Retention(Vertx vertx, Store store, Clock clock, DataCareSettings settings, Path filesDir) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.filesDir = filesDir;
  }

  /** Runs a round now and then every day. */
  /**
   * Long enough for a round, short enough that a node killed while holding it blocks no one for long; a round is
   * idempotent, so two nodes that each take it on their own day's timer do no harm.
   */
  private static final java.time.Duration LEASE = java.time.Duration.ofHours(1);

  public void start() {
    // once across the nodes sharing the database: on the node holding the lease
    timer = vertx.setPeriodic(0, EVERY.toMillis(), t -> cn.legalkoi.logging.RequestIds.within(vertx,
        "retention-" + (++rounds), () -> store.leases().whenHeld("retention", LEASE, this::run,
            new JsonObject().put("tickets", 0).put("auditRows", 0)).onSuccess(done -> {
      if (done.getInteger("tickets") > 0 || done.getInteger("auditRows") > 0) {
        LOG.info("Retention: erased the content of {} tickets, deleted {} audit log rows",
            done.getInteger("tickets"), done.getInteger("auditRows"));
      }
    }).onFailure(e -> LOG.warn("The retention round failed: {}", e.toString()))));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** One round: {@code {"tickets": n, "files": n, "auditRows": n}}. */
  public Future<JsonObject> run() {
    long now = clock.millis();
    long ticketsBefore = now - Duration.ofDays(settings.closedTicketDays()).toMillis();
    long auditBefore = now - Duration.ofDays(settings.auditDays()).toMillis();
    return store.run(c -> {
      List<String> files = new ArrayList<>();
      int tickets = 0;
      try (PreparedStatement st = c.prepareStatement("SELECT id, conversation_id, resolved_at FROM tickets"
          + " WHERE status = 'resolved' AND resolved_at > 0 AND resolved_at < ? AND question != ?")) {
        st.setLong(1, ticketsBefore);
        st.setString(2, OwnerContent.ERASED);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            files.addAll(OwnerContent.eraseTicket(c, rs.getLong(1)));
            OwnerContent.eraseConversation(c, rs.getLong(2), rs.getLong(3));
            tickets++;
          }
        }
      }
      int audit;
      try (PreparedStatement st = c.prepareStatement("DELETE FROM audit_log WHERE at < ?")) {
        st.setLong(1, auditBefore);
        audit = st.executeUpdate();
      }
      return new Result(tickets, files, audit);
    }).compose(r -> StoredFiles.delete(vertx, filesDir, r.files()).map(deleted -> new JsonObject()
        .put("tickets", r.tickets()).put("files", deleted).put("auditRows", r.auditRows())));
  }

  private record Result(int tickets, List<String> files, int auditRows) {
  }
}
