package cn.legalkoi.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A group robot's send allowance: a bucket of {@code messages} tokens in which each spent token comes back one
 * {@code window} after it was spent. Unlike a bucket refilled at a steady rate (which lets 20 through at once and
 * then one every 3 s, so up to 39 in some minute), this never lets more than {@code messages} through in any window,
 * however the platform lines its minutes up. DingTalk silences a custom robot for 10 minutes once it exceeds 20 a
 * minute, so the stricter reading is the one worth having. Not thread-safe: one robot's queue uses it.
 */
final class RobotRateLimit {
  private final int messages;
  private final long windowMillis;
  private final Clock clock;
  /** When each token now spent was spent, oldest first; never more than {@code messages}. */
  private final Deque<Long> spent = new ArrayDeque<>();

  RobotRateLimit(int messages, Duration window, Clock clock) {
    if (messages <= 0 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("a rate limit needs a positive number of messages and window");
    }
    this.messages = messages;
    this.windowMillis = window.toMillis();
    this.clock = clock;
  }

  /** Spends a token if one is in the bucket now; whether one was. */
  boolean tryAcquire() {
    long now = clock.millis();
    returnTokens(now);
    if (spent.size() >= messages) {
      return false;
    }
    spent.addLast(now);
    return true;
  }

  /** Tokens in the bucket now. */
  int available() {
    returnTokens(clock.millis());
    return messages - spent.size();
  }

  /** How long until a token is back, by this limit's clock; zero when one is in the bucket. */
  Duration untilNextToken() {
    long now = clock.millis();
    returnTokens(now);
    return spent.size() < messages ? Duration.ZERO : Duration.ofMillis(spent.peekFirst() + windowMillis - now);
  }

  private void returnTokens(long now) {
    while (!spent.isEmpty() && spent.peekFirst() + windowMillis <= now) {
      spent.removeFirst();
    }
  }
}
