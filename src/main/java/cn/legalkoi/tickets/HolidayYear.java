package cn.legalkoi.tickets;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rest days and make-up working days (调休上班) of one year, beyond ordinary weekends.
 *
 * @param source where the dates come from: the State Council notice for a year from the calendar file, or the
 *     statutory rules for a year that fell back
 * @param holidays each day off with its festival name, e.g. 2026-02-15 → 春节; weekends need not be listed
 * @param workdays weekend days that are working days (调休)
 */
public record HolidayYear(int year, String source, NavigableMap<LocalDate, String> holidays,
    NavigableSet<LocalDate> workdays) {
  public HolidayYear {
    holidays = Collections.unmodifiableNavigableMap(new TreeMap<>(holidays));
    workdays = Collections.unmodifiableNavigableSet(new TreeSet<>(workdays));
  }

  public static HolidayYear of(int year, String source, Map<LocalDate, String> holidays) {
    return new HolidayYear(year, source, new TreeMap<>(holidays), new TreeSet<>());
  }
}
