package cn.legalkoi.tickets;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The deadlines of the 315 promise from the calendar as it is now: the file is re-read when an admin edits it, so
 * a ticket opened after the edit follows the new calendar, and tickets already open keep the deadlines they were
 * given.
 */
public final class CalendarDeadlines implements DeadlinePolicy {
  /** How far ahead the calendar must know its holidays before the admin is warned. */
  private static final int WARN_DAYS_AHEAD = 60;

  private final CalendarSource calendar;
  private final SlaSettings settings;
  private final Clock clock;

  public CalendarDeadlines(CalendarSource calendar, SlaSettings settings, Clock clock) {
    this.calendar = calendar;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Deadlines deadlines(Instant openedAt, boolean complex) {
    Due due = new TicketDeadlines(calendar.current(), settings)
        .compute(openedAt, complex ? Complexity.COMPLEX : Complexity.SIMPLE);
    return new Deadlines(due.respond().toInstant().toEpochMilli(), due.milestone().toInstant().toEpochMilli());
  }

  @Override
  public ZoneId zone() {
    return settings.timeZone();
  }

  @Override
  public List<String> warnings() {
    LocalDate today = LocalDate.now(clock.withZone(settings.timeZone()));
    return calendar.warnings(today, today.plusDays(WARN_DAYS_AHEAD));
  }
}
