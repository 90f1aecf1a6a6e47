package cn.legalkoi.tickets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Who may be given a ticket: active users in its department, or admins. */
final class Advisers {
  private Advisers() {
  }

  static boolean worksIn(Connection c, String username, String department) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM users u WHERE u.username = ? AND u.active = 1"
        + " AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id"
        + " AND d.department = ?))")) {
      st.setString(1, username);
      st.setString(2, department);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
