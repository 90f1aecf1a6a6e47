package cn.legalkoi.chat;

import cn.legalkoi.logging.RequestIds;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every reply leaves through here (a WeCom passive reply, carried in the callback's response, is recorded here as
 * sent when it is written and never sent again): a persisted queue delivered by each channel's {@link ChannelSender}, retried
 * with backoff when the platform fails (first retry within seconds, capped at a minute, so a short outage delays
 * replies by at most about a minute after it ends), and given up only after a day, when it is kept as failed with
 * the reason. A {@link ChannelSender.PermanentFailure} is kept as failed at once. Survives restarts: what was
 * pending is sent after the next start.
 *
 * <p>Each conversation is sent no faster than its platform allows ({@link SendPace}). Sends are pipelined: a round reads what is due and starts sending it, and the next round may start before
 * those sends end. A conversation has at most one reply in flight, its oldest due one, so an owner's replies
 * arrive in order; the next is sent once the previous one's outcome is recorded.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final long TICK_MS = 1_000;
  private static final int BATCH = 50;
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 60_000;
  private static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
  /**
   * How long a reply being sent stays claimed by its node: well past a platform call's time limit, so that only a
   * node that died while sending loses its claim, and another node sends the reply after that.
   */
  static final Duration CLAIM = Duration.ofMinutes(1);
  /** Where a reply given up on is announced (its conversation's id), so that the advisers' consoles show it. */
  public static final String GAVE_UP_ADDRESS = "legal-koi.outbox.gave-up";

  private final Vertx vertx;
  private final Store store;
  private final Map<Channel, ChannelSender> senders;
  private final Clock clock;
  private final SendPace pace;
  /** Messages being sent, and their conversations; changed only on event loops, read also on the store's thread. */
  private static final long IDLE_CHECK_MS = 20;
  private volatile long drainCheck = -1;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<Long> busyConversations = ConcurrentHashMap.newKeySet();
  /**
   * A round saw a due message it could not send yet (in flight, its conversation busy, behind an earlier reply
   * waiting for its retry, or the round full): look
   * again once a send ends, as a failed send may be due again by then.
   */
  private volatile boolean deferred;
  private volatile cn.legalkoi.metrics.ServiceMetrics metrics = cn.legalkoi.metrics.ServiceMetrics.none();
  private volatile long timer = -1;
  private volatile boolean stopped;
  private boolean running;
  private boolean again;

  public Outbox(Vertx vertx, Store store, Map<Channel, ChannelSender> senders, Clock clock) {
    this(vertx, store, senders, clock, SendPace.published());
  }

  Outbox(Vertx vertx, Store store, Map<Channel, ChannelSender> senders, Clock clock, SendPace pace) {
    this.pace = pace;
    this.vertx = vertx;
    this.store = store;
    this.senders = Map.copyOf(senders);
    this.clock = clock;
  }

  /** Where failed deliveries are counted. */
  public void useMetrics(cn.legalkoi.metrics.ServiceMetrics serviceMetrics) {
    this.metrics = serviceMetrics;
  }

  public void start() {
    releaseClaimsOfTheOneNode().onComplete(r -> {
      if (r.failed()) {
        LOG.warn("Could not release the outbox's claims from before the start: {}", r.cause().toString());
      }
      if (!stopped) {
        timer = vertx.setPeriodic(TICK_MS, t -> kick());
        kick();
      }
    });
  }

  /**
   * On the embedded store this is the only node, so a claim still standing was made before a crash or a stop, by
   * this node: released at once, so that a restart sends what was in flight without waiting for it to run out. On
   * PostgreSQL a claim may be another live node's, and is left to run out.
   */
  private Future<Void> releaseClaimsOfTheOneNode() {
    if (store.dialect() != cn.legalkoi.store.Dialect.SQLITE) {
      return Future.succeededFuture();
    }
    return store.run(c -> {
      try (java.sql.PreparedStatement st = c.prepareStatement(
          "UPDATE outbox SET claimed_until = 0 WHERE state = 'pending' AND claimed_until > 0")) {
        st.executeUpdate();
      }
      return null;
    });
  }

  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (drainCheck >= 0) {
      vertx.cancelTimer(drainCheck);
    }
  }

  /**
   * For shutdown: stops the timer, sends what is due now, and completes once no send is in flight. What is not due
   * yet (a retry, a paced reply) stays in the table for the next start.
   */
  public Future<Void> drain() {
    stop();
    kick();
    io.vertx.core.Promise<Void> idle = io.vertx.core.Promise.promise();
    long check = vertx.setPeriodic(0, IDLE_CHECK_MS, id -> {
      if (idle()) {
        idle.tryComplete();
      }
    });
    // the check ends with the drain, or with stop() when the caller stops waiting for it
    drainCheck = check;
    return idle.future().onComplete(r -> vertx.cancelTimer(check));
  }

  private synchronized boolean idle() {
    return !running && !again && inFlight.isEmpty();
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
   * One round: starts sending every message due now that may go now (see {@link #sendable}); the number of
   * messages it started. The sends go on after the round.
   */
  Future<Integer> deliverDue() {
    return store.run(c -> {
      long now = clock.millis();
      List<Outgoing> batch = sendable(ChatStore.due(c, store.dialect(), now, BATCH));
      for (Outgoing message : batch) {
        ChatStore.claim(c, message.id(), now + CLAIM.toMillis());
      }
      return batch;
    }).map(batch -> {
      // each send logs as outbox-<row id>, whoever's request kicked the round
      batch.forEach(m -> RequestIds.within(vertx, "outbox-" + m.id(), () -> deliverOne(m)));
      return batch.size();
    });
  }

  /**
   * Of the due messages, those to send now: per conversation the oldest, unless one of its replies is still in
   * flight. Runs on the store's thread, where a message's recorded outcome and its leaving {@link #inFlight} are
   * seen in order: a message read here as due is either not yet sent or still in flight, never sent and settled.
   */
  private List<Outgoing> sendable(ChatStore.Due due) {
    deferred = due.held() || due.messages().size() == BATCH;
    Map<Long, Outgoing> oldest = new LinkedHashMap<>();
    for (Outgoing message : due.messages()) {
      if (inFlight.contains(message.id()) || busyConversations.contains(message.conversationId())) {
        deferred = true;
        continue;
      }
      Outgoing other = oldest.putIfAbsent(message.conversationId(), message);
      if (other != null) {
        deferred = true;
        if (message.id() < other.id()) {
          oldest.put(message.conversationId(), message);
        }
      }
    }
    long now = clock.millis();
    // over a platform's sending limit: left pending for a later round (the timer's), not counted as a failure
    return oldest.values().stream().filter(m -> pace.take(m.channel(), m.conversationId(), now)).toList();
  }

  private void deliverOne(Outgoing message) {
    inFlight.add(message.id());
    busyConversations.add(message.conversationId());
    ChannelSender sender = senders.get(message.channel());
    sendWith(sender, message).onFailure(e -> metrics.outboxFailure(message.channel().wireName(),
        e instanceof ChannelSender.PermanentFailure)).transform(result -> {
      if (result.succeeded()) {
        return store.run(c -> {
          ChatStore.markSent(c, message.id(), clock.millis());
          return false;
        });
      }
      boolean permanent = result.cause() instanceof ChannelSender.PermanentFailure;
      long next = permanent ? -1 : nextAttemptAt(message);
      String reason = String.valueOf(result.cause().getMessage());
      LOG.warn("Outbox message {} on {} not delivered (attempt {}): {}; {}", message.id(),
          message.channel().wireName(), message.attempts() + 1, reason,
          next < 0 ? "given up" : "trying again in " + (next - clock.millis()) + " ms");
      return store.run(c -> {
        ChatStore.markFailedAttempt(c, message.id(), next, reason);
        return next < 0;
      });
    }).onSuccess(givenUp -> {
      if (givenUp) {
        vertx.eventBus().publish(GAVE_UP_ADDRESS, message.conversationId());
      }
    }).onComplete(r -> {
      inFlight.remove(message.id());
      busyConversations.remove(message.conversationId());
      if (r.failed()) {
        LOG.warn("Outbox message {} could not be updated: {}", message.id(), r.cause().toString());
      }
      if (deferred) {
        kick();
      }
    });
  }

  private static Future<Void> sendWith(ChannelSender sender, Outgoing message) {
    if (sender == null) {
      return Future.failedFuture("no sender for channel " + message.channel().wireName());
    }
    try {
      return sender.send(message);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Doubling from a second, capped at a minute; negative once the message has waited a day. */
  private long nextAttemptAt(Outgoing message) {
    long now = clock.millis();
    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_RETRY_MS << Math.min(message.attempts(), 16));
    return now - message.createdAt() > GIVE_UP_AFTER.toMillis() ? -1 : now + backoff;
  }
}
