package cn.legalkoi.tickets;

import cn.legalkoi.config.ServicePromise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sla} section of the config: the working hours and calendar the 315 promise is counted in, and its
 * three deadlines.
 *
 * @param workingHours the periods of a working day, in order and not overlapping; business stops at the end of
 *     the last
 * @param calendarFile the holiday calendar ({@code config/calendar-cn.json}); relative to the working directory
 * @param respondMinutes minutes of working time to respond in
 * @param settleWorkingDays a simple matter is settled by the close of business of this many working days after
 *     the day of opening
 * @param feedbackDays a complex matter gets feedback by the close of business of this many calendar days after
 *     the day of opening, moved to the next working day when that day is not one
 */
public record SlaSettings(ZoneId timeZone, List<WorkingPeriod> workingHours, Path calendarFile, int respondMinutes,
    int settleWorkingDays, int feedbackDays) {

  public SlaSettings {
    workingHours = List.copyOf(workingHours);
    if (workingHours.isEmpty()) {
      throw new IllegalArgumentException("sla.workingHours needs at least one period");
    }
    for (int i = 1; i < workingHours.size(); i++) {
      if (workingHours.get(i).start().isBefore(workingHours.get(i - 1).end())) {
        throw new IllegalArgumentException("sla.workingHours must be in order and must not overlap");
      }
    }
    positive("respondMinutes", respondMinutes);
    positive("settleWorkingDays", settleWorkingDays);
    positive("feedbackDays", feedbackDays);
  }

  public static SlaSettings defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code sla} object; keys it leaves out take the contract's defaults. */
  public static SlaSettings fromJson(JsonObject sla) {
    ServicePromise d = ServicePromise.defaults();
    JsonArray hours = sla.getJsonArray("workingHours",
        new JsonArray().add(new JsonArray().add("09:00").add("12:00")).add(new JsonArray().add("13:30").add("17:30")));
    List<WorkingPeriod> periods = new ArrayList<>();
    for (Object period : hours) {
      if (!(period instanceof JsonArray pair) || pair.size() != 2) {
        throw new IllegalArgumentException("sla.workingHours holds pairs like [\"09:00\",\"12:00\"], not " + period);
      }
      periods.add(WorkingPeriod.of(pair.getString(0), pair.getString(1)));
    }
    return new SlaSettings(ZoneId.of(sla.getString("timeZone", "Asia/Shanghai")), periods,
        Path.of(sla.getString("calendarFile", "config/calendar-cn.json")),
        sla.getInteger("respondMinutes", d.respondMinutes()),
        sla.getInteger("settleWorkingDays", d.settleWorkingDays()),
        sla.getInteger("feedbackDays", d.feedbackDays()));
  }

  /** The promise as owners read it, with these deadlines. */
  public ServicePromise promise() {
    return new ServicePromise(respondMinutes, settleWorkingDays, feedbackDays);
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("sla." + key + " must be at least 1, not " + value);
    }
  }
}
