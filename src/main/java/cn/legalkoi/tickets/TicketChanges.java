package cn.legalkoi.tickets;

import cn.legalkoi.store.ClusterSignals;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * A change counter for consoles: every change to a ticket, an owner's message on one, or a reply given up on moves it
 * on, and a console
 * waiting with the number it last saw is answered at once. Sent as a {@link ClusterSignals} signal, so a change on
 * any node sharing the database reaches every console on every node; each node counts for itself and starts again
 * at a restart, which a console (long-polling whichever node it reaches) notices as a change.
 */
final class TicketChanges {
  static final String ADDRESS = "legal-koi.tickets.changed";
  private static final String TOPIC = "ticket_changes";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TicketChanges.class);

  private final Vertx vertx;
  private final ClusterSignals signals;
  private long seq = 1;
  private final List<Waiting> waiting = new ArrayList<>();

  private record Waiting(long after, Promise<Long> promise, long timer) {
  }

  TicketChanges(Vertx vertx, ClusterSignals signals) {
    this.vertx = vertx;
    this.signals = signals;
    signals.subscribe(TOPIC, payload -> bump());
    vertx.eventBus().consumer(ADDRESS, m -> publish());
    vertx.eventBus().consumer(cn.legalkoi.chat.Outbox.GAVE_UP_ADDRESS, m -> publish());
  }

  /** Tells every console, on every node sharing the database, that something changed. Safe from any thread. */
  void publish() {
    signals.publish(TOPIC, "").onFailure(e -> LOG.warn("Could not tell the other nodes of a ticket change: {}",
        e.toString()));
  }

  /** The current number at once when it is not {@code after}, otherwise when it changes or after {@code waitMs}. */
  synchronized Future<Long> next(long after, long waitMs) {
    if (after != seq || waitMs <= 0) {
      return Future.succeededFuture(seq);
    }
    Promise<Long> promise = Promise.promise();
    waiting.add(new Waiting(after, promise, vertx.setTimer(waitMs, t -> expire(promise))));
    return promise.future();
  }

  private synchronized void expire(Promise<Long> promise) {
    waiting.removeIf(w -> w.promise() == promise);
    promise.tryComplete(seq);
  }

  private synchronized void bump() {
    seq++;
    for (Waiting w : waiting) {
      vertx.cancelTimer(w.timer());
      w.promise().tryComplete(seq);
    }
    waiting.clear();
  }
}
