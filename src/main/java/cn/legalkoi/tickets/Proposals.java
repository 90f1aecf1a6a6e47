package cn.legalkoi.tickets;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Advisers' answers proposed as new guidance when resolving a ticket, waiting for an admin's review. */
final class Proposals {
  static final int MAX_TITLE_CHARS = 80;
  static final int MAX_ANSWER_CHARS = 4000;

  private Proposals() {
  }

  static void add(Connection c, long ticketId, String author, JsonObject proposal, long now) throws SQLException {
    String title = proposal.getValue("title") instanceof String s ? s.strip() : "";
    String answer = proposal.getValue("answer") instanceof String s ? s.strip() : "";
    if (title.isEmpty() || answer.isEmpty() || title.length() > MAX_TITLE_CHARS || answer.length() > MAX_ANSWER_CHARS) {
      throw TicketRefused.bad("建议的指引需要标题（" + MAX_TITLE_CHARS + "字以内）和答复（" + MAX_ANSWER_CHARS + "字以内）");
    }
    try (PreparedStatement st = c.prepareStatement("INSERT INTO guidance_proposals (ticket_id, author, title, answer,"
        + " state, created_at) VALUES (?, ?, ?, ?, 'proposed', ?)")) {
      st.setLong(1, ticketId);
      st.setString(2, author);
      st.setString(3, title);
      st.setString(4, answer);
      st.setLong(5, now);
      st.executeUpdate();
    }
    TicketStore.history(c, ticketId, now, author, "proposed_guidance", new JsonObject().put("title", title));
  }
}
