package cn.legalkoi.tickets;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calendar file edited while the service runs. */
class CalendarSourceTest {
  private static final String Y2027 = "\"2027\": {\"source\": \"国务院办公厅关于2027年部分节假日安排的通知\","
      + " \"holidays\": {\"元旦\": \"2027-01-01/2027-01-03\"}, \"workdays\": [\"2027-01-09\"]}";

  @TempDir
  Path dir;

  private Path file;
  private long stamp = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

  private CalendarSource source() throws Exception {
    file = dir.resolve("calendar-cn.json");
    Files.copy(Path.of("config/calendar-cn.json"), file);
    touch();
    return new CalendarSource(SlaSettings.fromJson(new JsonObject().put("calendarFile", file.toString())));
  }

  /** Writes the file with a later modification time, as an admin's save would. */
  private void edit(String text) throws Exception {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    touch();
  }

  private void touch() throws Exception {
    stamp += 60_000;
    Files.setLastModifiedTime(file, FileTime.fromMillis(stamp));
  }

  private String shippedWith2027() throws Exception {
    String shipped = Files.readString(Path.of("config/calendar-cn.json"), StandardCharsets.UTF_8);
    return shipped.replace("\"2026\": {", Y2027 + ",\n    \"2026\": {");
  }

  @Test
  @DisplayName("A year the admin adds to the file is picked up without a restart, and its warning goes away")
  void addedYear() throws Exception {
    CalendarSource source = source();
    assertTrue(source.reloadIfChanged());
    assertEquals(Coverage.STATUTORY_FALLBACK, source.current().coverage(Year.of(2027)));
    assertEquals(1, source.warnings(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-12-31")).size());
    assertTrue(source.current().isWorkingDay(LocalDate.parse("2027-01-04")));

    edit(shippedWith2027());
    assertTrue(source.reloadIfChanged());
    assertEquals(Coverage.FILE, source.current().coverage(Year.of(2027)));
    assertFalse(source.current().isWorkingDay(LocalDate.parse("2027-01-03")));
    assertTrue(source.current().isWorkingDay(LocalDate.parse("2027-01-09")), "the make-up Saturday");
    assertEquals(0, source.warnings(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-12-31")).size());
  }

  @Test
  @DisplayName("An unchanged file is not read again")
  void unchanged() throws Exception {
    CalendarSource source = source();
    assertTrue(source.reloadIfChanged());
    WorkingCalendar first = source.current();
    assertFalse(source.reloadIfChanged());
    assertTrue(first == source.current());
  }

  @Test
  @DisplayName("A malformed edit keeps the last good calendar and reports the error until the file is fixed")
  void malformedEdit() throws Exception {
    CalendarSource source = source();
    assertTrue(source.reloadIfChanged());
    WorkingCalendar good = source.current();

    edit(shippedWith2027().replace("2027-01-09", "2027-01-99"));
    assertFalse(source.reloadIfChanged());
    assertTrue(good == source.current(), "the last good calendar stays");
    assertFalse(source.current().isWorkingDay(LocalDate.parse("2026-10-01")));
    String error = source.lastError().orElseThrow();
    assertTrue(error.contains("继续使用上次成功读取的日历") && error.contains("2027-01-99"), error);
    assertEquals(error, source.warnings(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31")).get(0));

    edit("{ not json");
    assertFalse(source.reloadIfChanged());
    assertTrue(good == source.current());

    edit(shippedWith2027());
    assertTrue(source.reloadIfChanged());
    assertTrue(source.lastError().isEmpty());
    assertEquals(Coverage.FILE, source.current().coverage(Year.of(2027)));
  }

  @Test
  @DisplayName("A deleted file keeps the last good calendar and says the file is missing")
  void deletedFile() throws Exception {
    CalendarSource source = source();
    assertTrue(source.reloadIfChanged());
    Files.delete(file);
    assertFalse(source.reloadIfChanged());
    assertEquals(Coverage.FILE, source.current().coverage(Year.of(2026)));
    assertTrue(source.lastError().orElseThrow().contains("不存在"));
  }

  @Test
  @DisplayName("Started on Vert.x, the source reads the file on a worker and then re-checks it on its timer")
  void startedOnVertx() throws Exception {
    CalendarSource source = source();
    Vertx vertx = TestVertx.create();
    try {
      await(source.start(vertx, Duration.ofMillis(20)));
      assertEquals(Coverage.FILE, source.current().coverage(Year.of(2026)));
      edit(shippedWith2027());
      CompletableFuture<Void> picked = new CompletableFuture<>();
      long poll = vertx.setPeriodic(10, id -> {
        if (source.current().coverage(Year.of(2027)) == Coverage.FILE) {
          picked.complete(null);
        }
      });
      picked.get(10, TimeUnit.SECONDS);
      vertx.cancelTimer(poll);
      source.stop(vertx);
    } finally {
      await(vertx.close());
    }
  }
}
