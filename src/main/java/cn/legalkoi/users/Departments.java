package cn.legalkoi.users;

import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The departments that keep the promise together (综合执法, 市场监管, …). The config seeds them the first time the
 * database is created; admins manage them afterwards. A disabled department keeps its tickets and history but
 * takes no new ones.
 */
public final class Departments {
  private final Store db;
  private final Clock clock;

  public Departments(Store db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A department as admins see it. */
  public record Department(String name, boolean active) {
  }

  /**
   * Adds the configured departments when the database has none (its first start with tickets); afterwards admins
   * manage them and the config is not read again.
   */
  public Future<Void> seed(List<String> names) {
    return db.run(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM departments LIMIT 1");
          ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          return null;
        }
      }
      try (PreparedStatement st = c.prepareStatement(
          "INSERT INTO departments(name, active, created_at) VALUES (?, 1, ?) ON CONFLICT DO NOTHING")) {
        for (String name : names) {
          st.setString(1, name);
          st.setString(2, clock.instant().toString());
          st.executeUpdate();
        }
      }
      return null;
    });
  }

  public Future<List<Department>> list() {
    return db.run(c -> {
      List<Department> out = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("SELECT name, active FROM departments ORDER BY created_at, name");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Department(rs.getString(1), rs.getInt(2) == 1));
        }
      }
      return out;
    });
  }

  /** Adds a department, or enables it again; false when it already exists and is active. */
  public Future<Boolean> add(String name) {
    return db.run(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO departments(name, active, created_at) VALUES (?, 1, ?)"
          + " ON CONFLICT(name) DO UPDATE SET active = 1 WHERE departments.active = 0")) {
        st.setString(1, name);
        st.setString(2, clock.instant().toString());
        return st.executeUpdate() == 1;
      }
    });
  }

  /** Takes a department out of routing; false when there is no such active department. */
  public Future<Boolean> disable(String name) {
    return db.run(c -> {
      try (PreparedStatement st = c.prepareStatement("UPDATE departments SET active = 0 WHERE name = ? AND active = 1")) {
        st.setString(1, name);
        return st.executeUpdate() == 1;
      }
    });
  }

  /** Whether {@code name} is a department that takes tickets now; inside the caller's transaction. */
  public static boolean isActive(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM departments WHERE name = ? AND active = 1")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
