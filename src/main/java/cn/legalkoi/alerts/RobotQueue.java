package cn.legalkoi.alerts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts waiting for one group robot, sent within its rate limit. While the robot has tokens, each alert goes out
 * as soon as it comes. Once the limit holds alerts back, they wait; when a token is back, a few waiting alerts (fewer
 * than {@code digestFrom}, and no more than the tokens) go out one by one, and more go out together as one digest,
 * which costs a single token. A message the robot refuses is tried again after a backoff, merged with whatever waits
 * by then, and given up (and logged) once its alerts have been tried {@code maxAttempts} times.
 *
 * <p>Kept in memory only: alerts waiting when the process stops are lost. That is acceptable because a group alert
 * is a nudge, not the record: every ticket and its deadlines stay in the console.
 */
final class RobotQueue {
  private static final Logger LOG = LoggerFactory.getLogger(RobotQueue.class);

  /** An alert waiting for this robot, and how often it has been tried. */
  private static final class Pending {
    final TicketAlert alert;
    final Promise<Void> done = Promise.promise();
    int attempts;

    Pending(TicketAlert alert) {
      this.alert = alert;
    }
  }

  /** One message about to be posted: a single alert or a digest of several. */
  private record Post(List<Pending> alerts, JsonObject message) {
  }

  private final Vertx vertx;
  private final GroupRobot robot;
  private final RobotRateLimit limit;
  private final AlertNotifier.Options options;
  private final Deque<Pending> waiting = new ArrayDeque<>();
  private long wakeTimer = -1;
  private boolean closed;

  RobotQueue(Vertx vertx, GroupRobot robot, AlertNotifier.Options options, Clock clock) {
    this.vertx = vertx;
    this.robot = robot;
    this.options = options;
    this.limit = new RobotRateLimit(options.messagesPerWindow(), options.window(), clock);
  }

  /** Completes once the alert is delivered (alone or in a digest) or given up; never fails. */
  Future<Void> add(TicketAlert alert) {
    Pending pending = new Pending(alert);
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      waiting.addLast(pending);
    }
    pump();
    return pending.done.future();
  }

  /** Sends nothing more; alerts still waiting are given up. */
  void close() {
    List<Pending> left;
    synchronized (this) {
      closed = true;
      if (wakeTimer >= 0) {
        vertx.cancelTimer(wakeTimer);
      }
      left = new ArrayList<>(waiting);
      waiting.clear();
    }
    if (!left.isEmpty()) {
      LOG.warn("{}: {} ticket alert(s) not sent at shutdown: {}", robot.name(), left.size(), numbers(left));
    }
    left.forEach(p -> p.done.tryComplete());
  }

  /** Posts what the rate limit lets through now, and wakes up later for the rest. */
  private void pump() {
    List<Post> posts = new ArrayList<>();
    synchronized (this) {
      while (!closed && !waiting.isEmpty() && limit.available() > 0) {
        int tokens = limit.available();
        boolean oneByOne = waiting.size() < options.digestFrom() && waiting.size() <= tokens;
        List<Pending> taken = new ArrayList<>();
        if (oneByOne) {
          taken.add(waiting.removeFirst());
        } else {
          taken.addAll(waiting);
          waiting.clear();
        }
        limit.tryAcquire();
        posts.add(new Post(taken, taken.size() == 1
            ? AlertMessages.message(robot.platform(), taken.get(0).alert)
            : AlertMessages.digest(robot.platform(), taken.stream().map(p -> p.alert).toList())));
      }
      if (!closed && !waiting.isEmpty()) {
        wakeWhenAToken();
      }
    }
    posts.forEach(this::post);
  }

  /**
   * A timer for when the next token is back by the limit's clock, but never longer than {@code recheck}: the clock
   * is the one given (a test moves it), while timers run in real time.
   */
  private void wakeWhenAToken() {
    if (wakeTimer >= 0) {
      return;
    }
    long delay = Math.max(1, Math.min(limit.untilNextToken().toMillis(), options.recheck().toMillis()));
    wakeTimer = vertx.setTimer(delay, id -> {
      synchronized (this) {
        wakeTimer = -1;
      }
      pump();
    });
  }

  private void post(Post post) {
    post.alerts().forEach(p -> p.attempts++);
    robot.post(post.message()).onComplete(result -> {
      if (result.succeeded()) {
        post.alerts().forEach(p -> p.done.tryComplete());
      } else {
        retryLater(post.alerts(), robot.scrub(String.valueOf(result.cause().getMessage())));
      }
    });
  }

  private void retryLater(List<Pending> failed, String reason) {
    List<Pending> again = failed.stream().filter(p -> p.attempts < options.maxAttempts()).toList();
    List<Pending> givenUp = failed.stream().filter(p -> p.attempts >= options.maxAttempts()).toList();
    if (!givenUp.isEmpty()) {
      LOG.warn("Gave up ticket alert(s) {} after {} attempts: {}", numbers(givenUp), options.maxAttempts(), reason);
      givenUp.forEach(p -> p.done.tryComplete());
    }
    if (again.isEmpty()) {
      return;
    }
    int attempts = again.stream().mapToInt(p -> p.attempts).min().orElse(1);
    long backoff = Math.min(options.maxRetry().toMillis(), options.firstRetry().toMillis() << Math.min(attempts - 1, 20));
    LOG.info("Ticket alert(s) {} not delivered, trying again in {} ms: {}", numbers(again), backoff, reason);
    vertx.setTimer(Math.max(1, backoff), id -> {
      boolean stopped;
      synchronized (this) {
        stopped = closed;
        if (!stopped) {
          for (int i = again.size() - 1; i >= 0; i--) {
            waiting.addFirst(again.get(i));
          }
        }
      }
      if (stopped) {
        LOG.warn("{}: ticket alert(s) {} not sent at shutdown", robot.name(), numbers(again));
        again.forEach(p -> p.done.tryComplete());
      } else {
        pump();
      }
    });
  }

  private static String numbers(List<Pending> alerts) {
    return alerts.stream().map(p -> "#" + p.alert.number()).collect(Collectors.joining(", "));
  }
}
