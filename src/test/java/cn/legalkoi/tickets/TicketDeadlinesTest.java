package cn.legalkoi.tickets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The 315 promise's deadlines on the shipped 2025–2026 calendar, from fixed opening instants. */
class TicketDeadlinesTest {
  private static TicketDeadlines deadlines;

  @BeforeAll
  static void calendar() throws Exception {
    SlaSettings settings = SlaSettings.defaults();
    deadlines = new TicketDeadlines(
        WorkingCalendar.of(settings, CalendarFile.read(Path.of("config/calendar-cn.json"))), settings);
  }

  /** An opening instant given as Beijing wall-clock time. */
  private static Instant opened(String beijing) {
    return LocalDateTime.parse(beijing).atZone(ZoneId.of("Asia/Shanghai")).toInstant();
  }

  private static OffsetDateTime t(String iso) {
    return OffsetDateTime.parse(iso);
  }

  @Test
  @DisplayName("Opened the afternoon before 国庆 2026: respond in 30 minutes, settle on October 8 at 17:30")
  void beforeNationalDay() {
    Due due = deadlines.compute(opened("2026-09-30T15:00"), Complexity.SIMPLE);
    assertEquals(t("2026-09-30T15:30+08:00"), due.respond());
    assertEquals(t("2026-10-08T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("A complex matter whose fifth day is in the 国庆 holiday gets feedback by October 8 at 17:30")
  void feedbackOnHoliday() {
    Due due = deadlines.compute(opened("2026-09-30T15:00"), Complexity.COMPLEX);
    assertEquals(t("2026-10-08T17:30+08:00"), due.milestone());
    assertEquals(new JsonObject().put("respond", "2026-09-30T15:30:00+08:00").put("feedback", "2026-10-08T17:30:00+08:00"),
        due.toJson());
  }

  @Test
  @DisplayName("A complex matter whose fifth day is a working day gets feedback by that day's close")
  void feedbackOnWorkingDay() {
    // Monday 03-02 + 5 is Saturday 03-07, moved to Monday 03-09; Wednesday 03-04 + 5 is that Monday itself
    assertEquals(t("2026-03-09T17:30+08:00"), deadlines.compute(opened("2026-03-02T10:00"), Complexity.COMPLEX).milestone());
    assertEquals(t("2026-03-09T17:30+08:00"), deadlines.compute(opened("2026-03-04T10:00"), Complexity.COMPLEX).milestone());
    assertEquals(t("2026-03-11T17:30+08:00"), deadlines.compute(opened("2026-03-06T10:00"), Complexity.COMPLEX).milestone());
  }

  @Test
  @DisplayName("Opened on a Friday afternoon: settle by Monday's close, across the weekend")
  void acrossWeekend() {
    Due due = deadlines.compute(opened("2026-03-06T16:00"), Complexity.SIMPLE);
    assertEquals(t("2026-03-06T16:30+08:00"), due.respond());
    assertEquals(t("2026-03-09T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("Opened at 11:50: respond by 13:50, the lunch break not counted")
  void lunchBreak() {
    assertEquals(t("2026-03-02T13:50+08:00"), deadlines.compute(opened("2026-03-02T11:50"), Complexity.SIMPLE).respond());
  }

  @Test
  @DisplayName("Escalated at 22:00: respond by 09:30 next morning, settle counted from the day of opening")
  void atNight() {
    Due due = deadlines.compute(opened("2026-03-02T22:00"), Complexity.SIMPLE);
    assertEquals(t("2026-03-03T09:30+08:00"), due.respond());
    assertEquals(t("2026-03-03T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("Opened on a Sunday: respond Monday 09:30, settle Monday at close")
  void onSunday() {
    Due due = deadlines.compute(opened("2026-03-01T10:00"), Complexity.SIMPLE);
    assertEquals(t("2026-03-02T09:30+08:00"), due.respond());
    assertEquals(t("2026-03-02T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("Opened on the make-up Saturday before 春节 2026: respond that morning, settle after the holiday")
  void makeUpSaturday() {
    Due due = deadlines.compute(opened("2026-02-14T10:00"), Complexity.SIMPLE);
    assertEquals(t("2026-02-14T10:30+08:00"), due.respond());
    assertEquals(t("2026-02-24T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("Opened during 春节 2026: respond when work resumes on February 24")
  void duringSpringFestival() {
    Due due = deadlines.compute(opened("2026-02-18T10:00"), Complexity.SIMPLE);
    assertEquals(t("2026-02-24T09:30+08:00"), due.respond());
    assertEquals(t("2026-02-24T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("Opened late on the last working day of 2026: 2027 falls back, and 元旦 2027 is a rest day")
  void intoFallbackYear() {
    // 2026-12-31 is a Thursday; 2027-01-01 (元旦) and the weekend follow
    Due due = deadlines.compute(opened("2026-12-31T17:20"), Complexity.SIMPLE);
    assertEquals(t("2027-01-04T09:20+08:00"), due.respond());
    assertEquals(t("2027-01-04T17:30+08:00"), due.milestone());
  }

  @Test
  @DisplayName("Before 春节 2027, missing from the file, the fallback holidays push the deadline past 正月初三")
  void fallbackSpringFestival() {
    // Thursday 2027-02-04; 除夕 02-05 through 初三 02-08 are rest days
    assertEquals(t("2027-02-09T17:30+08:00"), deadlines.compute(opened("2027-02-04T10:00"), Complexity.SIMPLE).milestone());
  }

  @Test
  @DisplayName("Configured deadlines generalise: 3 working days to settle, 10 days to feedback, 60 minutes to respond")
  void otherSettings() throws Exception {
    SlaSettings settings = SlaSettings.fromJson(new JsonObject().put("respondMinutes", 60)
        .put("settleWorkingDays", 3).put("feedbackDays", 10));
    TicketDeadlines other = new TicketDeadlines(
        WorkingCalendar.of(settings, CalendarFile.read(Path.of("config/calendar-cn.json"))), settings);
    Due simple = other.compute(opened("2026-09-29T17:00"), Complexity.SIMPLE);
    assertEquals(t("2026-09-30T09:30+08:00"), simple.respond());
    // working days after 09-29: 09-30, 10-08, 10-09
    assertEquals(t("2026-10-09T17:30+08:00"), simple.milestone());
    // 09-29 + 10 = 10-09, a Friday and a working day
    assertEquals(t("2026-10-09T17:30+08:00"), other.compute(opened("2026-09-29T17:00"), Complexity.COMPLEX).milestone());
  }

  @Test
  @DisplayName("Due survives its JSON form for both complexities")
  void dueJson() {
    for (Complexity c : Complexity.values()) {
      Due due = deadlines.compute(opened("2026-09-30T15:00:42.5"), c);
      assertEquals(due, Due.fromJson(due.toJson()));
      assertEquals(due.milestoneName(), c == Complexity.SIMPLE ? "settle" : "feedback");
    }
    assertEquals("2026-09-30T15:30:42+08:00",
        deadlines.compute(opened("2026-09-30T15:00:42.5"), Complexity.SIMPLE).toJson().getString("respond"));
  }

  @Test
  @DisplayName("Complexity reads its wire names and refuses others")
  void complexityWire() {
    assertEquals(Complexity.COMPLEX, Complexity.fromWire("complex"));
    assertEquals("simple", Complexity.SIMPLE.wireName());
    assertThrows(IllegalArgumentException.class, () -> Complexity.fromWire("SIMPLE"));
  }

  @Test
  @DisplayName("The sla settings take the contract's defaults and refuse overlapping hours and zero deadlines")
  void settings() {
    SlaSettings d = SlaSettings.defaults();
    assertEquals(ZoneId.of("Asia/Shanghai"), d.timeZone());
    assertEquals(Path.of("config/calendar-cn.json"), d.calendarFile());
    assertEquals(2, d.workingHours().size());
    assertEquals(Map.of("respond", 30, "settle", 1, "feedback", 5),
        Map.of("respond", d.respondMinutes(), "settle", d.settleWorkingDays(), "feedback", d.feedbackDays()));
    assertThrows(IllegalArgumentException.class, () -> SlaSettings.fromJson(new JsonObject().put("workingHours",
        new io.vertx.core.json.JsonArray("[[\"09:00\",\"12:00\"],[\"11:00\",\"17:30\"]]"))));
    assertThrows(IllegalArgumentException.class, () -> SlaSettings.fromJson(new JsonObject().put("settleWorkingDays", 0)));
  }
}
