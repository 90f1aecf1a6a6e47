package cn.legalkoi.chat;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every reply leaves through here: a persisted queue delivered by each channel's {@link ChannelSender}, retried
 * with backoff when the platform fails (first retry within seconds, capped at a minute, so a short outage delays
 * replies by at most about a minute after it ends), and given up only after a day, when it is kept as failed with
 * the reason. A {@link ChannelSender.PermanentFailure} is kept as failed at once. Survives restarts: what was
 * pending is sent after the next start.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final long TICK_MS = 1_000;
  private static final int BATCH = 50;
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 60_000;
  private static final Duration GIVE_UP_AFTER = Duration.ofDays(1);

  private final Vertx vertx;
  private final Store store;
  private final Map<Channel, ChannelSender> senders;
  private final Clock clock;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private long timer = -1;
  private boolean running;
  private boolean again;

  public Outbox(Vertx vertx, Store store, Map<Channel, ChannelSender> senders, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.senders = Map.copyOf(senders);
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(TICK_MS, t -> kick());
    kick();
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Delivers what is due now; a kick while a round runs starts another round after it. */
  public synchronized void kick() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    deliverDue()
        .onComplete(r -> {
          if (r.failed()) {
            LOG.warn("The outbox could not be read: {}", r.cause().toString());
          }
          boolean more;
          synchronized (this) {
            running = false;
            more = again;
          }
          if (more) {
            kick();
          }
        });
  }

  /**
   * One round: every message due now that no other round is sending, each sent and its outcome recorded; the number
   * of messages this round tried to send.
   */
  Future<Integer> deliverDue() {
    return store.run(c -> ChatStore.due(c, clock.millis(), BATCH)).compose(due -> {
      List<Future<Void>> sends = due.stream().filter(o -> inFlight.add(o.id())).map(this::deliverOne).toList();
      return Future.join(sends).map(done -> sends.size());
    });
  }

  private Future<Void> deliverOne(Outgoing message) {
    ChannelSender sender = senders.get(message.channel());
    Future<Void> sent = sender == null
        ? Future.failedFuture("no sender for channel " + message.channel().wireName())
        : sender.send(message);
    return sent.transform(result -> store.run(c -> {
      if (result.succeeded()) {
        ChatStore.markSent(c, message.id(), clock.millis());
      } else {
        boolean permanent = result.cause() instanceof ChannelSender.PermanentFailure;
        ChatStore.markFailedAttempt(c, message.id(), permanent ? -1 : nextAttemptAt(message),
            String.valueOf(result.cause().getMessage()));
      }
      return null;
    })).<Void>mapEmpty().onComplete(r -> {
      inFlight.remove(message.id());
      if (r.failed()) {
        LOG.warn("Outbox message {} could not be updated: {}", message.id(), r.cause().toString());
      }
    });
  }

  /** Doubling from a second, capped at a minute; negative once the message has waited a day. */
  private long nextAttemptAt(Outgoing message) {
    long now = clock.millis();
    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_RETRY_MS << Math.min(message.attempts(), 16));
    return now - message.createdAt() > GIVE_UP_AFTER.toMillis() ? -1 : now + backoff;
  }
}
