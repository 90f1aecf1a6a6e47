package cn.legalkoi.users;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Who did what, for every adviser and admin action: kept at least six months (网络安全法第二十一条). Entries name the
 * target (a ticket, a user, a department) and never carry an owner's question, name or phone number.
 */
public final class AuditLog {
  private final Store db;
  private final Clock clock;

  public AuditLog(Store db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Future<Void> record(String actor, String action, String target, String detail) {
    long now = clock.millis();
    return db.run(c -> {
      record(c, now, actor, action, target, detail);
      return null;
    });
  }

  /** Inside the caller's transaction, so the action and its record are written together. */
  public static void record(Connection c, long now, String actor, String action, String target, String detail)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
      st.setLong(1, now);
      st.setString(2, actor);
      st.setString(3, action);
      st.setString(4, target);
      st.setString(5, detail);
      st.executeUpdate();
    }
  }
}
