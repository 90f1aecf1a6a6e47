package cn.legalkoi.tickets;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link WorkingCalendar}, re-read when the admin edits the calendar file, so next year's holidays
 * need neither a rebuild nor a restart. The file is checked on a worker thread (its modification time and size);
 * a changed file that does not parse leaves the last good calendar in place and is reported by
 * {@link #lastError()} and {@link #warnings}. Before any file was read, the calendar is the statutory fallback.
 */
public final class CalendarSource {
  private static final Logger LOG = LoggerFactory.getLogger(CalendarSource.class);

  private final SlaSettings settings;
  private volatile WorkingCalendar current;
  private volatile String lastError;
  private FileStamp seen;
  private long timerId = -1;

  public CalendarSource(SlaSettings settings) {
    this.settings = settings;
    this.current = WorkingCalendar.of(settings, Map.of());
  }

  /** The calendar as last read successfully; safe to call from any thread, never blocks. */
  public WorkingCalendar current() {
    return current;
  }

  /** Why the file's latest version was not taken, in Chinese for the admin; empty once a version reads well. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** The calendar's coverage warnings from {@code from} to {@code to}, after the file's error if it has one. */
  public List<String> warnings(LocalDate from, LocalDate to) {
    List<String> all = new ArrayList<>();
    lastError().ifPresent(all::add);
    all.addAll(current.warnings(from, to));
    return all;
  }

  /**
   * Reads the file if it changed since the last check; true when a new calendar was taken. Blocking file I/O:
   * call it on a worker ({@link #start} does).
   */
  public synchronized boolean reloadIfChanged() {
    Path file = settings.calendarFile();
    FileStamp stamp;
    try {
      stamp = FileStamp.of(file);
    } catch (NoSuchFileException e) {
      return fail(null, "日历文件 " + file + " 不存在");
    } catch (IOException e) {
      return fail(null, "无法读取日历文件 " + file + "：" + e.getMessage());
    }
    if (stamp.equals(seen)) {
      return false;
    }
    try {
      Map<Integer, HolidayYear> years = CalendarFile.read(file);
      current = WorkingCalendar.of(settings, years);
      seen = stamp;
      lastError = null;
      LOG.info("Calendar {} loaded: years {}", file, years.keySet());
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return fail(stamp, "日历文件 " + file + " 有误，继续使用上次成功读取的日历：" + e.getMessage());
    }
  }

  /** Reads the file once on a worker, then checks it again every {@code checkEvery}. */
  public Future<Void> start(Vertx vertx, Duration checkEvery) {
    return vertx.executeBlocking(this::reloadIfChanged, false).map(loaded -> {
      timerId = vertx.setPeriodic(checkEvery.toMillis(),
          id -> vertx.executeBlocking(this::reloadIfChanged, false)
              .onFailure(e -> LOG.warn("Checking the calendar file failed", e)));
      return null;
    });
  }

  public void stop(Vertx vertx) {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private boolean fail(FileStamp stamp, String message) {
    if (!message.equals(lastError)) {
      LOG.warn(message);
    }
    // remembered, so a bad version is reported once rather than re-read on every check
    seen = stamp;
    lastError = message;
    return false;
  }

  private record FileStamp(long modifiedMillis, long size) {
    static FileStamp of(Path file) throws IOException {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(attributes.lastModifiedTime().toMillis(), attributes.size());
    }
  }
}
