package cn.legalkoi.tickets;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * A change counter for consoles: every change to a ticket, an owner's message on one, or a reply given up on moves it
 * on, and a console
 * waiting with the number it last saw is answered at once. Heard over the event bus, so a change from any part of
 * this node reaches every console; the count starts again at a restart, which a console notices as a change.
 */
final class TicketChanges {
  static final String ADDRESS = "legal-koi.tickets.changed";

  private final Vertx vertx;
  private long seq = 1;
  private final List<Waiting> waiting = new ArrayList<>();

  private record Waiting(long after, Promise<Long> promise, long timer) {
  }

  TicketChanges(Vertx vertx) {
    this.vertx = vertx;
    vertx.eventBus().consumer(ADDRESS, m -> bump());
    vertx.eventBus().consumer(cn.legalkoi.chat.Outbox.GAVE_UP_ADDRESS, m -> bump());
  }

  /** Tells every console on this node that something changed. Safe from any thread. */
  void publish() {
    vertx.eventBus().publish(ADDRESS, null);
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
