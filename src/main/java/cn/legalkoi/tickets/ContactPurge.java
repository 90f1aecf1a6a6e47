package cn.legalkoi.tickets;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Deletes an owner's phone number and enterprise name once their ticket has been resolved for the retention period
 * they were told when asked for them (个人信息保护法第十七条、第十九条). A reopened ticket keeps them.
 */
final class ContactPurge {
  /** What stands in the transcript where the owner gave their contact details. */
  static final String REMOVED = "[联系方式已按约定删除]";

  private final Store store;
  private final Clock clock;
  private final Duration keep;

  ContactPurge(Store store, Clock clock, Duration keep) {
    this.store = store;
    this.clock = clock;
    this.keep = keep;
  }

  /** The number of tickets whose contact details were deleted. */
  Future<Integer> run() {
    long before = clock.millis() - keep.toMillis();
    return store.run(c -> {
      // the owner's message that gave them goes too: the console's transcript would still show it
      try (PreparedStatement lines = c.prepareStatement("UPDATE transcript SET text = ? WHERE author = 'owner'"
          + " AND conversation_id = ? AND instr(text, ?) > 0");
          PreparedStatement inbound = c.prepareStatement("UPDATE inbound SET text = ? WHERE state != 'pending'"
              + " AND conversation_id = ? AND instr(text, ?) > 0");
          PreparedStatement expired = c.prepareStatement("SELECT conversation_id, phone FROM tickets"
              + " WHERE status = 'resolved' AND resolved_at > 0 AND resolved_at < ? AND phone IS NOT NULL")) {
        expired.setLong(1, before);
        try (ResultSet rs = expired.executeQuery()) {
          while (rs.next()) {
            for (PreparedStatement st : List.of(lines, inbound)) {
              st.setString(1, REMOVED);
              st.setLong(2, rs.getLong(1));
              st.setString(3, rs.getString(2));
              st.executeUpdate();
            }
          }
        }
      }
      try (PreparedStatement st = c.prepareStatement("UPDATE tickets SET phone = NULL, enterprise = NULL,"
          + " contact_state = 'purged' WHERE status = 'resolved' AND resolved_at > 0 AND resolved_at < ?"
          + " AND (phone IS NOT NULL OR enterprise IS NOT NULL)")) {
        st.setLong(1, before);
        return st.executeUpdate();
      }
    });
  }
}
