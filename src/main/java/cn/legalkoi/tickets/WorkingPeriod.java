package cn.legalkoi.tickets;

import java.time.Duration;
import java.time.LocalTime;

/** One stretch of a working day, such as 09:00–12:00; the end is exclusive and is when business stops. */
public record WorkingPeriod(LocalTime start, LocalTime end) {
  public WorkingPeriod {
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("working period " + start + "–" + end + " must start before it ends");
    }
  }

  /** Parses {@code "09:00"}, {@code "12:00"}. */
  public static WorkingPeriod of(String start, String end) {
    return new WorkingPeriod(LocalTime.parse(start), LocalTime.parse(end));
  }

  public Duration length() {
    return Duration.between(start, end);
  }
}
