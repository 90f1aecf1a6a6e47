package cn.legalkoi.tickets;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;

/** Lets other modules write to a ticket's history (and so to the audit log) inside their own transaction. */
public final class TicketHistory {
  private TicketHistory() {
  }

  public static void record(Connection c, long ticketId, long now, String actor, String action, JsonObject detail)
      throws SQLException {
    TicketStore.history(c, ticketId, now, actor, action, detail);
  }
}
