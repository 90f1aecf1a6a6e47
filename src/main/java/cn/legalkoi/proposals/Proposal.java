package cn.legalkoi.proposals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** An adviser's answer proposed as guidance when resolving a ticket, and what an admin made of it. */
record Proposal(long id, long ticketId, String author, String title, String answer, String state, String docId,
    String reviewedBy, long createdAt, long reviewedAt) {

  static final String PROPOSED = "proposed";
  static final String PUBLISHED = "published";
  static final String REJECTED = "rejected";

  boolean isPending() {
    return PROPOSED.equals(state);
  }

  JsonObject toJson(ZoneId zone) {
    return new JsonObject()
        .put("id", id)
        .put("ticketId", ticketId)
        .put("author", author)
        .put("title", title)
        .put("answer", answer)
        .put("state", state)
        .put("createdAt", iso(createdAt, zone))
        .put("docId", docId)
        .put("reviewedBy", reviewedBy)
        .put("reviewedAt", iso(reviewedAt, zone));
  }

  private static String iso(long millis, ZoneId zone) {
    return millis <= 0 ? null : OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), zone).toString();
  }
}
