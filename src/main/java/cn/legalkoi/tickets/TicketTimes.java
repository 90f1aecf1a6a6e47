package cn.legalkoi.tickets;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How ticket times are written: ISO-8601 with offset for the API, "12月1日 09:30" for owners. */
final class TicketTimes {
  private static final DateTimeFormatter OWNER = DateTimeFormatter.ofPattern("M月d日 HH:mm");

  private TicketTimes() {
  }

  static String iso(long epochMillis, ZoneId zone) {
    return epochMillis <= 0 ? null : OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).toString();
  }

  static String forOwner(long epochMillis, ZoneId zone) {
    return OWNER.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }
}
