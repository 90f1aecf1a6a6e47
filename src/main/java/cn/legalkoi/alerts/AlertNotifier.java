package cn.legalkoi.alerts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the advisers' group chats about tickets: every alert goes to every configured group robot (DingTalk custom
 * robot or WeCom group robot), each robot kept within its rate limit (20 messages a minute for both platforms;
 * DingTalk silences a robot for 10 minutes that sends more). Alerts the limit holds back wait, and when several are
 * waiting they go out as one digest ("另有 N 条工单提醒，请到控制台查看") instead of being dropped. A message a robot
 * refuses (an HTTP error, a timeout, or a non-zero {@code errcode} inside an HTTP 200) is tried again with backoff a
 * few times, then logged and given up; logs never show a robot's access_token, key, 加签 secret or sign.
 *
 * <p>Waiting and retried alerts are kept in memory only, so a restart loses them. That is a deliberate trade: the
 * group message is a nudge, while the tickets and their deadlines are always in the console, which advisers work
 * from.
 *
 * <p>Sending never fails or delays the caller's work: {@link #send} returns at once with a future that completes,
 * successfully, when every robot has delivered the alert or given up on it.
 */
public final class AlertNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

  /**
   * How alerts are paced and retried.
   *
   * @param timeout how long one post to a robot may take
   * @param maxAttempts posts of an alert (alone or in a digest) before it is given up
   * @param firstRetry the wait before the second attempt; it doubles with each further one, up to {@code maxRetry}
   * @param messagesPerWindow messages a robot may send in any {@code window}
   * @param window the rate limit's window
   * @param digestFrom when this many alerts are waiting for a robot, they go as one digest
   * @param recheck the longest a robot held back by its limit waits before looking at the clock again
   */
  public record Options(Duration timeout, int maxAttempts, Duration firstRetry, Duration maxRetry,
      int messagesPerWindow, Duration window, int digestFrom, Duration recheck) {
    public Options {
      if (maxAttempts < 1 || messagesPerWindow < 1 || digestFrom < 2) {
        throw new IllegalArgumentException("alerts need at least one attempt, one message per window, and a digest"
            + " of at least two");
      }
    }

    /**
     * 20 messages in any 62 s (the platforms' 20 a minute, with two seconds for our clock and theirs to disagree);
     * six attempts over about two and a half minutes; a digest from three waiting alerts.
     */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), 6, Duration.ofSeconds(5), Duration.ofMinutes(2), 20,
          Duration.ofSeconds(62), 3, Duration.ofSeconds(1));
    }
  }

  private final List<RobotQueue> robots;

  public AlertNotifier(Vertx vertx, WebClient client, AlertSettings settings, Clock clock) {
    this(vertx, client, settings, clock, Options.defaults());
  }

  public AlertNotifier(Vertx vertx, WebClient client, AlertSettings settings, Clock clock, Options options) {
    this.robots = settings.webhooks().stream()
        .map(webhook -> new RobotQueue(vertx, new GroupRobot(client, webhook, options.timeout(), clock), options,
            clock))
        .toList();
    if (!robots.isEmpty()) {
      LOG.info("Ticket alerts go to {}", settings.webhooks());
    }
  }

  /** Whether any group robot is configured. */
  public boolean isEnabled() {
    return !robots.isEmpty();
  }

  /** Queues the alert for every group robot; the future never fails (see the class comment). */
  public Future<Void> send(TicketAlert alert) {
    return Future.join(robots.stream().map(robot -> robot.add(alert)).toList())
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** Stops sending; what still waits is logged and given up. */
  public void close() {
    robots.forEach(RobotQueue::close);
  }
}
