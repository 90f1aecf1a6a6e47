package cn.legalkoi.tickets;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The deadlines of the 315 promise for one ticket.
 *
 * @param respond when an adviser must have responded
 * @param milestone when a simple matter must be settled, or a complex one must have had feedback
 */
public record Due(Complexity complexity, OffsetDateTime respond, OffsetDateTime milestone) {

  /** The wire name of the second deadline: {@code settle} for a simple matter, {@code feedback} for a complex one. */
  public String milestoneName() {
    return milestoneName(complexity);
  }

  /** {@code {"respond": "2026-09-30T15:30:00+08:00", "settle": "2026-10-08T17:30:00+08:00"}}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("respond", respond.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .put(milestoneName(), milestone.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
  }

  /** Reads what {@link #toJson()} wrote. */
  public static Due fromJson(JsonObject json) {
    Complexity complexity = json.containsKey("feedback") ? Complexity.COMPLEX : Complexity.SIMPLE;
    return new Due(complexity, OffsetDateTime.parse(json.getString("respond")),
        OffsetDateTime.parse(json.getString(milestoneName(complexity))));
  }

  private static String milestoneName(Complexity complexity) {
    return complexity == Complexity.SIMPLE ? "settle" : "feedback";
  }
}
