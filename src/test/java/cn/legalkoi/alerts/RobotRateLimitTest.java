package cn.legalkoi.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RobotRateLimitTest {
  final MovableClock clock = new MovableClock(Instant.parse("2026-03-02T02:00:00Z"));
  final RobotRateLimit limit = new RobotRateLimit(20, Duration.ofMinutes(1), clock);

  @Test
  @DisplayName("20 at once, then none until a minute after the first")
  void burst() {
    for (int i = 0; i < 20; i++) {
      assertTrue(limit.tryAcquire());
    }
    assertFalse(limit.tryAcquire());
    assertEquals(Duration.ofMinutes(1), limit.untilNextToken());
    clock.advance(Duration.ofSeconds(59).plusMillis(999));
    assertFalse(limit.tryAcquire());
    assertEquals(Duration.ofMillis(1), limit.untilNextToken());
    clock.advance(Duration.ofMillis(1));
    assertEquals(20, limit.available());
  }

  @Test
  @DisplayName("however sends are spread, no window of a minute ever holds more than 20")
  void neverMoreThanTwentyInAnyMinute() {
    List<Long> sent = new ArrayList<>();
    for (int step = 0; step < 600; step++) {
      // one attempt every 0.7 s, then a burst of ten every 7 s: far more than the limit allows
      int attempts = step % 10 == 0 ? 10 : 1;
      for (int i = 0; i < attempts; i++) {
        if (limit.tryAcquire()) {
          sent.add(clock.millis());
        }
      }
      clock.advance(Duration.ofMillis(700));
    }
    for (int i = 0; i + 20 < sent.size(); i++) {
      assertTrue(sent.get(i + 20) - sent.get(i) >= 60_000, "21 sends within a minute from send " + i);
    }
    assertTrue(sent.size() >= 20 * 6, "and the allowance is used: " + sent.size() + " sends in seven minutes");
  }
}
