package cn.legalkoi.tickets;

import java.time.Instant;
import java.time.ZoneId;

/** The deadlines of the 315 promise for a ticket opened at a moment, as the calendar and working hours make them. */
public interface DeadlinePolicy {
  /**
   * @param respond when an adviser must first reply (epoch ms)
   * @param finalDue when a simple matter must be settled, or a complex one given feedback (epoch ms)
   */
  record Deadlines(long respond, long finalDue) {
  }

  Deadlines deadlines(Instant openedAt, boolean complex);

  /** The zone deadlines are shown in (Asia/Shanghai by default). */
  ZoneId zone();

  /** What the admin must fix in the calendar (a year missing from the file …); empty when all is well. */
  java.util.List<String> warnings();
}
