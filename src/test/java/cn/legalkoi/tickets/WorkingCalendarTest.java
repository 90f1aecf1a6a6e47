package cn.legalkoi.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.knowledge.Utf8Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The shipped calendar file, the statutory fallback and working-time arithmetic. */
class WorkingCalendarTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static WorkingCalendar shipped() throws Exception {
    SlaSettings settings = SlaSettings.defaults();
    return WorkingCalendar.of(settings, CalendarFile.read(Path.of("config/calendar-cn.json")));
  }

  private static ZonedDateTime at(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(SHANGHAI);
  }

  @Test
  @DisplayName("The shipped file holds the 2026 State Council holidays and make-up Saturdays and Sundays")
  void shipped2026() throws Exception {
    WorkingCalendar calendar = shipped();
    for (String day : List.of("2026-01-01", "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-05",
        "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-07")) {
      assertFalse(calendar.isWorkingDay(LocalDate.parse(day)), day + " is a holiday");
    }
    for (String day : List.of("2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10")) {
      assertTrue(calendar.isWorkingDay(LocalDate.parse(day)), day + " is a make-up working day");
    }
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2026-10-08")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2026-03-07")), "an ordinary Saturday");
  }

  @Test
  @DisplayName("The shipped file holds the 2025 holidays, the eight days of 国庆 and 中秋 and their make-up days")
  void shipped2025() throws Exception {
    WorkingCalendar calendar = shipped();
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2025-01-28")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2025-02-04")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2025-06-02")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2025-10-08")));
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2025-10-09")));
    for (String day : List.of("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")) {
      assertTrue(calendar.isWorkingDay(LocalDate.parse(day)), day + " is a make-up working day");
    }
    assertEquals(Coverage.FILE, calendar.coverage(Year.of(2025)));
    assertEquals(List.of(), calendar.warnings(LocalDate.parse("2025-03-01"), LocalDate.parse("2026-12-31")));
  }

  @Test
  @DisplayName("The next working day after the last day before 国庆 2026 is October 8")
  void nextWorkingDayAcrossHoliday() throws Exception {
    assertEquals(LocalDate.parse("2026-10-08"), shipped().nextWorkingDay(LocalDate.parse("2026-09-30")));
    assertEquals(LocalDate.parse("2026-02-14"), shipped().nextWorkingDay(LocalDate.parse("2026-02-13")),
        "the make-up Saturday is the next working day");
  }

  @Test
  @DisplayName("Thirty working minutes from 11:50 end at 13:50: the lunch break does not count")
  void lunchBreak() throws Exception {
    assertEquals(at("2026-03-02T13:50"), shipped().addWorkingMinutes(at("2026-03-02T11:50"), 30));
    assertEquals(at("2026-03-02T14:00"), shipped().addWorkingMinutes(at("2026-03-02T12:40"), 30));
  }

  @Test
  @DisplayName("Working minutes started after close of business count from the next working morning")
  void afterHours() throws Exception {
    assertEquals(at("2026-03-03T09:30"), shipped().addWorkingMinutes(at("2026-03-02T17:45"), 30));
    assertEquals(at("2026-03-02T09:30"), shipped().addWorkingMinutes(at("2026-03-02T06:00"), 30));
    assertEquals(at("2026-03-03T09:10"), shipped().addWorkingMinutes(at("2026-03-02T17:10"), 30));
  }

  @Test
  @DisplayName("Minutes that use up the day exactly end at 17:30, not at 09:00 the next day")
  void exactEndOfDay() throws Exception {
    assertEquals(at("2026-03-02T17:30"), shipped().addWorkingMinutes(at("2026-03-02T17:00"), 30));
  }

  @Test
  @DisplayName("Working minutes started on a Friday evening before 春节 run on the make-up Saturday")
  void makeUpSaturday() throws Exception {
    assertEquals(at("2026-02-14T09:30"), shipped().addWorkingMinutes(at("2026-02-13T20:00"), 30));
  }

  @Test
  @DisplayName("An instant given in another zone is counted in Shanghai working hours")
  void otherZone() throws Exception {
    ZonedDateTime utc = at("2026-03-02T11:50").withZoneSameInstant(ZoneId.of("UTC"));
    assertEquals(at("2026-03-02T13:50").toInstant(), shipped().addWorkingMinutes(utc, 30).toInstant());
  }

  @Test
  @DisplayName("A rest day has no working periods, a working day has the configured ones")
  void periods() throws Exception {
    assertEquals(List.of(), shipped().workingPeriods(LocalDate.parse("2026-10-02")));
    assertEquals(SlaSettings.defaults().workingHours(), shipped().workingPeriods(LocalDate.parse("2026-10-09")));
    assertEquals(at("2026-10-09T17:30"), shipped().closeOfBusiness(LocalDate.parse("2026-10-09")));
  }

  @Test
  @DisplayName("2027, missing from the file, falls back to the statutory holidays and warns the admin")
  void fallbackYear() throws Exception {
    WorkingCalendar calendar = shipped();
    assertEquals(Coverage.STATUTORY_FALLBACK, calendar.coverage(Year.of(2027)));
    // 春节 2027: 除夕 02-05 (Fri) through 正月初三 02-08 (Mon)
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2027-02-04")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2027-02-05")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2027-02-08")));
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2027-02-09")));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2027-04-05")), "清明");
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2027-06-09")), "端午");
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2027-09-15")), "中秋");
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2027-10-01")));
    assertTrue(calendar.isWorkingDay(LocalDate.parse("2027-10-04")), "国庆 is three days without 调休");
    assertEquals(List.of("2027年的节假日安排不在日历文件中，按法定节日推算（未含调休），请管理员补充 config/calendar-cn.json"),
        calendar.warnings(LocalDate.parse("2026-12-01"), LocalDate.parse("2027-01-31")));
  }

  @Test
  @DisplayName("A year beyond the festival table knows only the fixed-date holidays and says so")
  void beyondTable() throws Exception {
    WorkingCalendar calendar = shipped();
    assertEquals(Coverage.FIXED_DATES_ONLY, calendar.coverage(Year.of(2050)));
    assertFalse(calendar.isWorkingDay(LocalDate.parse("2050-10-03")));
    assertTrue(calendar.warnings(LocalDate.parse("2050-01-01"), LocalDate.parse("2050-01-01")).get(0)
        .contains("春节、清明、端午、中秋无法推算"));
  }

  @Test
  @DisplayName("The fallback computes the 2025 and 2026 festivals on the days the State Council notices give")
  void fallbackAgreesWithNotices() throws Exception {
    WorkingCalendar none = WorkingCalendar.of(SlaSettings.defaults(), Map.of());
    Map<Integer, HolidayYear> file = CalendarFile.read(Path.of("config/calendar-cn.json"));
    for (int year : List.of(2025, 2026)) {
      HolidayYear statutory = none.year(year);
      for (LocalDate day : statutory.holidays().keySet()) {
        assertTrue(file.get(year).holidays().containsKey(day), day + " is a holiday in the notice of " + year);
      }
    }
  }

  @Test
  @DisplayName("The festival table matches published dates of 春节, 清明, 端午 and 中秋")
  void festivalTable() {
    Map<Integer, String> springFestivals = Map.of(2021, "2021-02-12", 2022, "2022-02-01", 2023, "2023-01-22",
        2024, "2024-02-10", 2027, "2027-02-06", 2028, "2028-01-26", 2029, "2029-02-13", 2030, "2030-02-03");
    springFestivals.forEach((year, day) ->
        assertEquals(LocalDate.parse(day), FestivalDates.of(year).orElseThrow().springFestival, "春节 " + year));
    FestivalDates y2027 = FestivalDates.of(2027).orElseThrow();
    assertEquals(LocalDate.parse("2027-04-05"), y2027.qingming);
    assertEquals(LocalDate.parse("2027-06-09"), y2027.dragonBoat);
    assertEquals(LocalDate.parse("2027-09-15"), y2027.midAutumn);
    assertEquals(LocalDate.parse("2024-06-10"), FestivalDates.of(2024).orElseThrow().dragonBoat);
    assertEquals(LocalDate.parse("2024-09-17"), FestivalDates.of(2024).orElseThrow().midAutumn);
    assertEquals(LocalDate.parse("2020-10-01"), FestivalDates.of(2020).orElseThrow().midAutumn);
    assertEquals(LocalDate.parse("2022-04-05"), FestivalDates.of(2022).orElseThrow().qingming);
    assertEquals(LocalDate.parse("2028-04-04"), FestivalDates.of(2028).orElseThrow().qingming);
  }

  @Test
  @DisplayName("Every row of the festival table is plausible: 春节 Jan 21–Feb 20, 清明 Apr 4–5, 端午 and 中秋 in season")
  void festivalTableShape() {
    for (int year = FestivalDates.FIRST_YEAR; year <= FestivalDates.LAST_YEAR; year++) {
      FestivalDates f = FestivalDates.of(year).orElseThrow();
      assertTrue(!f.springFestival.isBefore(LocalDate.of(year, 1, 21))
          && !f.springFestival.isAfter(LocalDate.of(year, 2, 20)), "春节 " + year);
      assertTrue(f.qingming.getDayOfMonth() == 4 || f.qingming.getDayOfMonth() == 5, "清明 " + year);
      assertTrue(f.dragonBoat.getMonthValue() == 5 || f.dragonBoat.getMonthValue() == 6, "端午 " + year);
      assertTrue(f.midAutumn.getMonthValue() == 9 || f.midAutumn.getMonthValue() == 10, "中秋 " + year);
      // 端午 and 中秋 lie 4 and 14 days into a month that begins with a new moon: 95 to 133 days apart
      long apart = f.midAutumn.toEpochDay() - f.dragonBoat.toEpochDay();
      assertTrue(apart >= 95 && apart <= 133, "端午 to 中秋 " + year + ": " + apart);
    }
    assertTrue(FestivalDates.of(FestivalDates.LAST_YEAR + 1).isEmpty());
  }

  @Test
  @DisplayName("A malformed calendar file is refused with a Chinese message that names the problem")
  void malformedFile() {
    String noSource = "{\"years\":{\"2027\":{\"holidays\":{\"元旦\":\"2027-01-01\"}}}}";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CalendarFile.parse(noSource))
        .getMessage().contains("2027年缺少 source"));
    String badDate = "{\"years\":{\"2027\":{\"source\":\"s\",\"holidays\":{\"元旦\":\"2027-13-01\"}}}}";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CalendarFile.parse(badDate))
        .getMessage().contains("\"2027-13-01\" 不是 YYYY-MM-DD"));
    String weekdayWorkday = "{\"years\":{\"2027\":{\"source\":\"s\",\"holidays\":{},\"workdays\":[\"2027-01-05\"]}}}";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CalendarFile.parse(weekdayWorkday))
        .getMessage().contains("本来就是工作日"));
    String otherYear = "{\"years\":{\"2027\":{\"source\":\"s\",\"holidays\":{\"元旦\":\"2028-01-01\"}}}}";
    assertThrows(IllegalArgumentException.class, () -> CalendarFile.parse(otherYear));
    assertThrows(IllegalArgumentException.class, () -> CalendarFile.parse("{\"years\": [}"));
  }

  @Test
  @DisplayName("The shipped file is UTF-8 and names each year's source")
  void sources() throws Exception {
    String text = Utf8Files.read(Path.of("config/calendar-cn.json"));
    Map<Integer, HolidayYear> years = CalendarFile.parse(text);
    assertTrue(years.get(2026).source().contains("2026年部分节假日安排"));
    assertTrue(years.get(2025).source().contains("2025年部分节假日安排"));
    assertEquals("春节", years.get(2026).holidays().get(LocalDate.parse("2026-02-20")));
  }
}
