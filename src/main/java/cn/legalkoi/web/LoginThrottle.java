package cn.legalkoi.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} wrong passwords for one user name from one address
 * within {@link #WINDOW}, further attempts are refused until the window has passed. A success clears the count.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);
  private static final int MAX_TRACKED = 10_000;

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  private record Failures(int count, Instant first) {
  }

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  long retryAfterSeconds(String username, String address) {
    Failures f = failures.get(key(username, address));
    if (f == null || f.count < MAX_FAILURES) {
      return 0;
    }
    Duration left = Duration.between(clock.instant(), f.first.plus(WINDOW));
    if (left.isNegative() || left.isZero()) {
      failures.remove(key(username, address));
      return 0;
    }
    return Math.max(1, left.toSeconds());
  }

  void failed(String username, String address) {
    Instant now = clock.instant();
    if (failures.size() > MAX_TRACKED) {
      failures.values().removeIf(f -> f.first.plus(WINDOW).isBefore(now));
    }
    failures.merge(key(username, address), new Failures(1, now), (old, one) ->
        old.first.plus(WINDOW).isBefore(now) ? one : new Failures(old.count + 1, old.first));
  }

  void succeeded(String username, String address) {
    failures.remove(key(username, address));
  }

  private static String key(String username, String address) {
    return username + "\u0000" + address;
  }
}
