package cn.legalkoi.tickets;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;

/**
 * Deletes an owner's phone number and enterprise name once their ticket has been resolved for the retention period
 * they were told when asked for them (个人信息保护法第十七条、第十九条). A reopened ticket keeps them.
 */
final class ContactPurge {
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
      try (PreparedStatement st = c.prepareStatement("UPDATE tickets SET phone = NULL, enterprise = NULL,"
          + " contact_state = 'purged' WHERE status = 'resolved' AND resolved_at > 0 AND resolved_at < ?"
          + " AND (phone IS NOT NULL OR enterprise IS NOT NULL)")) {
        st.setLong(1, before);
        return st.executeUpdate();
      }
    });
  }
}
