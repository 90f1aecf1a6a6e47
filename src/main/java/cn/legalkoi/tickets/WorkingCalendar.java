package cn.legalkoi.tickets;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * When the advisers work: the configured working periods on every working day, where a working day is a weekday
 * that is not a holiday, or a weekend day named a make-up working day (调休上班). Years in the calendar file use
 * its dates; other years fall back to {@link StatutoryHolidays} and say so through {@link #coverage} and
 * {@link #warnings}.
 *
 * <p>Immutable: a snapshot of the calendar file taken when it was read; deadlines computed from it do not change
 * when the file does.
 */
public final class WorkingCalendar {
  /** Enough to cross any run of rest days a sane file can describe; more means a file with no working days. */
  private static final int MAX_DAYS_SEARCHED = 366;

  private final Map<Integer, HolidayYear> fileYears;
  private final List<WorkingPeriod> hours;
  private final ZoneId zone;
  private final Path calendarFile;

  public WorkingCalendar(Map<Integer, HolidayYear> fileYears, List<WorkingPeriod> hours, ZoneId zone,
      Path calendarFile) {
    this.fileYears = Map.copyOf(fileYears);
    this.hours = List.copyOf(hours);
    this.zone = zone;
    this.calendarFile = calendarFile;
  }

  /** The calendar of the settings' hours and zone with the years of a parsed calendar file. */
  public static WorkingCalendar of(SlaSettings settings, Map<Integer, HolidayYear> fileYears) {
    return new WorkingCalendar(fileYears, settings.workingHours(), settings.timeZone(), settings.calendarFile());
  }

  public ZoneId zone() {
    return zone;
  }

  public boolean isWorkingDay(LocalDate day) {
    HolidayYear year = year(day.getYear());
    if (year.workdays().contains(day)) {
      return true;
    }
    return !year.holidays().containsKey(day)
        && day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
  }

  /** The day's working periods in order; empty on a rest day. */
  public List<WorkingPeriod> workingPeriods(LocalDate day) {
    return isWorkingDay(day) ? hours : List.of();
  }

  /** The first working day after {@code day} (never {@code day} itself). */
  public LocalDate nextWorkingDay(LocalDate day) {
    LocalDate d = day.plusDays(1);
    for (int i = 0; !isWorkingDay(d); i++, d = d.plusDays(1)) {
      if (i == MAX_DAYS_SEARCHED) {
        throw new IllegalStateException("no working day within a year after " + day);
      }
    }
    return d;
  }

  /** When business stops on {@code day}: the end of the last working period, in the calendar's zone. */
  public ZonedDateTime closeOfBusiness(LocalDate day) {
    return day.atTime(hours.get(hours.size() - 1).end()).atZone(zone);
  }

  /**
   * The moment {@code minutes} of working time after {@code start}. Time outside the working periods does not
   * count: from 11:50 thirty minutes end at 13:50 (lunch 12:00–13:30 skipped); a start after close of business or
   * on a rest day counts from the next working period. A count that uses up a period exactly ends at that
   * period's end (17:00 + 30 minutes is 17:30 that day, not 09:00 the next).
   */
  public ZonedDateTime addWorkingMinutes(ZonedDateTime start, int minutes) {
    LocalDateTime from = start.withZoneSameInstant(zone).toLocalDateTime();
    Duration left = Duration.ofMinutes(minutes);
    LocalDate day = from.toLocalDate();
    for (int i = 0; i <= MAX_DAYS_SEARCHED; i++, day = day.plusDays(1)) {
      for (WorkingPeriod period : workingPeriods(day)) {
        LocalDateTime end = day.atTime(period.end());
        if (!end.isAfter(from)) {
          continue;
        }
        LocalDateTime begin = day.atTime(period.start()).isAfter(from) ? day.atTime(period.start()) : from;
        Duration available = Duration.between(begin, end);
        if (left.compareTo(available) <= 0) {
          return begin.plus(left).atZone(zone);
        }
        left = left.minus(available);
      }
    }
    throw new IllegalStateException("no working time within a year after " + start);
  }

  /** Whether {@code year}'s rest days come from the calendar file or were computed. */
  public Coverage coverage(Year year) {
    return fileYears.containsKey(year.getValue()) ? Coverage.FILE : StatutoryHolidays.coverage(year.getValue());
  }

  /** The years the calendar file covers. */
  public NavigableSet<Integer> fileYears() {
    return new TreeSet<>(fileYears.keySet());
  }

  /**
   * One sentence for the admin, in Chinese, for each year from {@code from} to {@code to} that the calendar file
   * lacks; empty when the file covers them all.
   */
  public List<String> warnings(LocalDate from, LocalDate to) {
    List<String> warnings = new ArrayList<>();
    for (int y = from.getYear(); y <= to.getYear(); y++) {
      Coverage coverage = coverage(Year.of(y));
      if (coverage == Coverage.STATUTORY_FALLBACK) {
        warnings.add(y + "年的节假日安排不在日历文件中，按法定节日推算（未含调休），请管理员补充 " + calendarFile);
      } else if (coverage == Coverage.FIXED_DATES_ONLY) {
        warnings.add(y + "年的节假日安排不在日历文件中，且超出内置农历节日表（" + FestivalDates.FIRST_YEAR + "—"
            + FestivalDates.LAST_YEAR + "年），春节、清明、端午、中秋无法推算，请管理员补充 " + calendarFile);
      }
    }
    return warnings;
  }

  /** The year's rest days and 调休 as used: from the file, or computed. */
  public HolidayYear year(int year) {
    HolidayYear listed = fileYears.get(year);
    return listed != null ? listed : StatutoryHolidays.of(year);
  }
}
