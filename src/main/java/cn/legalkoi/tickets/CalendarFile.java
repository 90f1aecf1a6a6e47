package cn.legalkoi.tickets;

import cn.legalkoi.knowledge.Utf8Files;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the holiday calendar file, UTF-8 JSON that an admin edits once a year from the State Council notice:
 *
 * <pre>{@code
 * {"years": {"2026": {
 *   "source": "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
 *   "holidays": {"元旦": "2026-01-01/2026-01-03", "中秋节": "2026-09-25/2026-09-27", ...},
 *   "workdays": ["2026-01-04", "2026-02-14", ...]}}}
 * }</pre>
 *
 * A holiday is one date or an inclusive {@code from/to} range; {@code workdays} are the weekend days worked
 * (调休). Every problem is an {@link IllegalArgumentException} whose message, in Chinese, tells the admin what to
 * fix.
 */
public final class CalendarFile {
  private CalendarFile() {
  }

  /** Reads and parses the file; blocking, so never on an event loop. */
  public static Map<Integer, HolidayYear> read(Path file) throws IOException {
    return parse(Utf8Files.read(file));
  }

  public static Map<Integer, HolidayYear> parse(String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("不是有效的 JSON：" + e.getMessage(), e);
    }
    JsonObject years = object(root, "years", "文件");
    Map<Integer, HolidayYear> parsed = new TreeMap<>();
    for (String key : years.fieldNames()) {
      if (!key.matches("\\d{4}")) {
        throw new IllegalArgumentException("years 下的键应为四位年份，而不是 \"" + key + "\"");
      }
      int year = Integer.parseInt(key);
      parsed.put(year, year(year, object(years, key, "years")));
    }
    return parsed;
  }

  private static HolidayYear year(int year, JsonObject y) {
    String where = year + "年";
    Object source = y.getValue("source");
    if (!(source instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(where + "缺少 source（节假日安排的出处，如国务院办公厅通知）");
    }
    Map<LocalDate, String> holidays = new TreeMap<>();
    JsonObject named = object(y, "holidays", where);
    for (String name : named.fieldNames()) {
      Object range = named.getValue(name);
      if (!(range instanceof String r)) {
        throw new IllegalArgumentException(where + "的" + name + "应写成 \"2026-10-01/2026-10-07\" 或单个日期");
      }
      String[] ends = r.split("/", -1);
      LocalDate from = date(year, ends[0], where + "的" + name);
      LocalDate to = ends.length == 2 ? date(year, ends[1], where + "的" + name) : from;
      if (ends.length > 2 || to.isBefore(from)) {
        throw new IllegalArgumentException(where + "的" + name + "日期范围 \"" + r + "\" 有误");
      }
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        holidays.put(d, name);
      }
    }
    TreeSet<LocalDate> workdays = new TreeSet<>();
    Object list = y.getValue("workdays", new JsonArray());
    if (!(list instanceof JsonArray days)) {
      throw new IllegalArgumentException(where + "的 workdays 应为日期列表");
    }
    for (Object day : days) {
      LocalDate d = date(year, String.valueOf(day), where + "的 workdays");
      if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
        throw new IllegalArgumentException(where + "的 workdays 中 " + d + " 本来就是工作日，调休上班日应是周六或周日");
      }
      if (holidays.containsKey(d)) {
        throw new IllegalArgumentException(d + " 同时列为假日和调休上班日");
      }
      workdays.add(d);
    }
    return new HolidayYear(year, ((String) source).strip(), new TreeMap<>(holidays), workdays);
  }

  private static LocalDate date(int year, String text, String where) {
    LocalDate d;
    try {
      d = LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + "中的 \"" + text + "\" 不是 YYYY-MM-DD 格式的日期", e);
    }
    if (d.getYear() != year) {
      throw new IllegalArgumentException(where + "中的 " + d + " 不在" + year + "年内");
    }
    return d;
  }

  private static JsonObject object(JsonObject parent, String key, String where) {
    Object value = parent.getValue(key);
    if (!(value instanceof JsonObject o)) {
      throw new IllegalArgumentException(where + "缺少对象 \"" + key + "\"");
    }
    return o;
  }
}
