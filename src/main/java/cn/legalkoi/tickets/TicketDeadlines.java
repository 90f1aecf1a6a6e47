package cn.legalkoi.tickets;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The deadlines of the 315 promise, counted the way 《民法典》 counts periods (第二百零一条、第二百零三条): the
 * day of opening is not counted; a period whose last day is a rest day ends on the next working day; and it ends
 * when business stops that day, not at midnight. Worked examples with the default settings (09:00–12:00,
 * 13:30–17:30, 30 minutes, 1 working day, 5 days; 2026 calendar):
 *
 * <pre>
 * opened                   respond            settle (simple)    feedback (complex)
 * Wed 2026-09-30 15:00     09-30 15:30        10-08 17:30        10-08 17:30  (10-05 is in the 国庆 holiday)
 * Mon 2026-03-02 11:50     03-02 13:50        03-03 17:30        03-09 17:30  (03-07 is a Saturday)
 * Mon 2026-03-02 22:00     03-03 09:30        03-03 17:30        03-09 17:30
 * Sat 2026-02-14 10:00     02-14 10:30        02-24 17:30        02-24 17:30  (a 调休 Saturday, then 春节)
 * Sun 2026-03-01 10:00     03-02 09:30        03-02 17:30        03-06 17:30
 * </pre>
 *
 * <ul>
 *   <li><b>respond</b>: {@code respondMinutes} of working time from the opening; opened after close of business,
 *       at lunch or on a rest day, the clock starts with the next working period.
 *   <li><b>settle</b>: close of business of the {@code settleWorkingDays}th working day after the calendar day of
 *       opening, whatever the hour of opening: a ticket opened at 22:00 is still counted from its own day.
 *   <li><b>feedback</b>: close of business of the {@code feedbackDays}th calendar day after the day of opening,
 *       or of the next working day when that day is a rest day.
 * </ul>
 *
 * Pure: the calendar is a snapshot, and the opening instant is passed in (truncated to the second).
 */
public final class TicketDeadlines {
  private final WorkingCalendar calendar;
  private final SlaSettings settings;

  public TicketDeadlines(WorkingCalendar calendar, SlaSettings settings) {
    this.calendar = calendar;
    this.settings = settings;
  }

  public Due compute(Instant openedAt, Complexity complexity) {
    ZonedDateTime opened = openedAt.truncatedTo(ChronoUnit.SECONDS).atZone(calendar.zone());
    ZonedDateTime milestone = complexity == Complexity.SIMPLE ? settleBy(opened) : feedbackBy(opened);
    return new Due(complexity, respondBy(opened).toOffsetDateTime(), milestone.toOffsetDateTime());
  }

  private ZonedDateTime respondBy(ZonedDateTime opened) {
    return calendar.addWorkingMinutes(opened, settings.respondMinutes());
  }

  private ZonedDateTime settleBy(ZonedDateTime opened) {
    LocalDate day = opened.toLocalDate();
    for (int i = 0; i < settings.settleWorkingDays(); i++) {
      day = calendar.nextWorkingDay(day);
    }
    return calendar.closeOfBusiness(day);
  }

  private ZonedDateTime feedbackBy(ZonedDateTime opened) {
    LocalDate last = opened.toLocalDate().plusDays(settings.feedbackDays());
    return calendar.closeOfBusiness(calendar.isWorkingDay(last) ? last : calendar.nextWorkingDay(last));
  }
}
