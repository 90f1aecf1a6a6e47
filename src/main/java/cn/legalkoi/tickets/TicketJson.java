package cn.legalkoi.tickets;

import cn.legalkoi.chat.Conversations;
import cn.legalkoi.chat.OwnerChannel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.List;

/** Tickets as the API gives them (see CONTRACT.md): times ISO-8601 with the calendar's offset. */
final class TicketJson {
  private final ZoneId zone;

  TicketJson(ZoneId zone) {
    this.zone = zone;
  }

  JsonObject summary(Tickets.Detail d) {
    Ticket t = d.ticket();
    JsonObject due = new JsonObject().put("respond", iso(t.respondDue())).put(t.finalMilestone(), iso(t.finalDue()));
    JsonObject met = new JsonObject().put("respond", iso(t.respondMetAt())).put(t.finalMilestone(), iso(t.finalMetAt()));
    return new JsonObject()
        .put("id", t.id())
        .put("status", t.status())
        .put("question", t.question())
        .put("channel", t.channel())
        .put("owner", new JsonObject().put("platform", t.channel()).put("userId", t.userId())
            .put("phone", t.phone()).put("enterprise", t.enterprise()).put("contact", t.contactState()))
        .put("complexity", t.complexity())
        .put("category", t.category())
        .put("reason", t.reason())
        .put("department", t.department())
        .put("assignee", t.assignee())
        .put("createdAt", iso(t.openedAt()))
        .put("updatedAt", iso(t.updatedAt()))
        .put("ownerWroteAt", iso(t.ownerWroteAt()))
        .put("resolvedAt", iso(t.resolvedAt()))
        .put("rating", t.rating() == 0 ? null : t.rating())
        .put("due", due)
        .put("met", met)
        .put("breached", new JsonArray(d.breaches()))
        .put("reach", new JsonObject().put("reachable", d.reach().reachable())
            .put("until", d.reach().until() > 0 ? iso(d.reach().until()) : null).put("why", d.reach().why()))
        .put("failedReplies", d.failedReplies());
  }

  JsonObject detail(Tickets.Detail d) {
    java.util.Map<Long, JsonArray> attachments = new java.util.HashMap<>();
    for (TicketFiles.TicketFile f : d.files()) {
      attachments.computeIfAbsent(f.lineId(), k -> new JsonArray()).add(attachment(f));
    }
    List<java.util.Map.Entry<Long, JsonObject>> lines = new java.util.ArrayList<>();
    for (Conversations.Line line : d.lines()) {
      OwnerChannel.Delivery delivery = d.deliveries().get(line.id());
      lines.add(java.util.Map.entry(line.at(), new JsonObject()
          .put("id", line.id())
          .put("author", line.author())
          .put("kind", line.kind())
          .put("text", line.text())
          .put("at", iso(line.at()))
          .put("internal", false)
          .put("feedback", line.meta().getBoolean("feedback", false))
          .put("by", line.meta().getString("by"))
          .put("delivery", delivery == null ? null
              : new JsonObject().put("state", delivery.state()).put("error", delivery.error()))
          .put("attachments", attachments.getOrDefault(line.id(), new JsonArray()))));
    }
    for (TicketStore.Note note : d.notes()) {
      lines.add(java.util.Map.entry(note.at(), new JsonObject().put("id", "note-" + note.id()).put("author", "adviser").put("kind", note.kind())
          .put("text", note.text()).put("at", iso(note.at())).put("internal", true).put("feedback", false)
          .put("by", note.author()).put("delivery", null).put("attachments", new JsonArray())));
    }
    JsonArray transcript = new JsonArray();
    lines.stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> transcript.add(e.getValue()));
    JsonArray history = new JsonArray();
    for (TicketStore.HistoryEntry h : d.history()) {
      history.add(new JsonObject().put("at", iso(h.at())).put("actor", h.actor()).put("action", h.action())
          .put("detail", h.detail()));
    }
    return summary(d).put("transcript", transcript).put("history", history);
  }

  /**
   * A file as the console offers it: a download link once stored (never shown inline), otherwise its state and why.
   * {@code name} is what the owner or platform called it, or one made of the id.
   */
  private JsonObject attachment(TicketFiles.TicketFile f) {
    String fallback = fallbackName(f);
    return new JsonObject().put("id", f.id()).put("name", f.declaredName() == null ? fallback : f.declaredName())
        .put("type", f.contentType()).put("kind", f.declaredType()).put("size", f.size() < 0 ? null : f.size())
        .put("state", f.state()).put("error", f.isStored() ? null : f.error())
        .put("url", f.isStored() ? "/api/v1/tickets/" + f.ticketId() + "/files/" + f.id() : null);
  }

  /** {@code file-12.jpg}: ASCII only, from the id and the detected type, whatever the owner called it. */
  static String fallbackName(TicketFiles.TicketFile f) {
    String extension = extensionOf(f);
    return "file-" + f.id() + (extension == null ? "" : "." + extension);
  }

  static String extensionOf(TicketFiles.TicketFile f) {
    return FileSniffer.extensionFor(f.contentType());
  }

  private String iso(long millis) {
    return TicketTimes.iso(millis, zone);
  }
}
