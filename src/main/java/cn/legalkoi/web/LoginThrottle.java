package cn.legalkoi.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} wrong passwords for one user name from one address within
 * {@link #WINDOW}, further attempts are refused until the window has passed; so are all attempts from an address
 * that got {@link #MAX_ADDRESS_FAILURES} wrong across any user names (one machine trying many accounts), and all
 * attempts at a user name that got {@link #MAX_USER_FAILURES} wrong from any addresses (many machines trying one
 * account). A success clears that user's count from that address.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 5;
  static final int MAX_ADDRESS_FAILURES = 20;
  static final int MAX_USER_FAILURES = 50;
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
    return Math.max(wait(key(username, address), MAX_FAILURES),
        Math.max(wait("address\u0000" + address, MAX_ADDRESS_FAILURES), wait("user\u0000" + username, MAX_USER_FAILURES)));
  }

  private long wait(String key, int max) {
    Failures f = failures.get(key);
    if (f == null || f.count < max) {
      return 0;
    }
    Duration left = Duration.between(clock.instant(), f.first.plus(WINDOW));
    if (left.isNegative() || left.isZero()) {
      failures.remove(key);
      return 0;
    }
    return Math.max(1, left.toSeconds());
  }

  void failed(String username, String address) {
    Instant now = clock.instant();
    if (failures.size() > MAX_TRACKED) {
      failures.values().removeIf(f -> f.first.plus(WINDOW).isBefore(now));
    }
    for (String key : new String[] {key(username, address), "address\u0000" + address, "user\u0000" + username}) {
      failures.merge(key, new Failures(1, now), (old, one) ->
          old.first.plus(WINDOW).isBefore(now) ? one : new Failures(old.count + 1, old.first));
    }
  }

  void succeeded(String username, String address) {
    failures.remove(key(username, address));
  }

  private static String key(String username, String address) {
    return username + "\u0000" + address;
  }
}
