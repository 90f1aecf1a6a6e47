package cn.legalkoi.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Applies each module's migrations once, in order, recording them in {@code schema_migrations}. */
final class Migrations {
  private Migrations() {
  }

  /**
   * Creates the store's own tables if needed, then applies what {@code schema_migrations} does not list, each
   * migration in one transaction. True when the schema was empty before: this call created it.
   */
  static boolean apply(Connection connection, Dialect dialect, List<Migration> migrations) throws SQLException {
    boolean empty;
    try (Statement st = connection.createStatement()) {
      st.execute(dialect.ddl("CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL,"
          + " version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version))"));
      st.execute(dialect.ddl(Leases.TABLE));
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM schema_migrations")) {
        empty = rs.next() && rs.getLong(1) == 0;
      }
    }
    List<Migration> ordered = migrations.stream()
        .sorted(Comparator.comparing(Migration::module).thenComparingInt(Migration::version)).toList();
    for (Migration m : ordered) {
      if (isApplied(connection, m)) {
        continue;
      }
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement();
          PreparedStatement record = connection.prepareStatement(
              "INSERT INTO schema_migrations (module, version, applied_at) VALUES (?, ?, ?)")) {
        for (String ddl : m.statements()) {
          st.execute(dialect.ddl(ddl));
        }
        record.setString(1, m.module());
        record.setInt(2, m.version());
        record.setString(3, Instant.now().toString());
        record.executeUpdate();
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw new SQLException("migration " + m.module() + " " + m.version() + " failed: " + e.getMessage(), e);
      } finally {
        connection.setAutoCommit(true);
      }
    }
    return empty;
  }

  private static boolean isApplied(Connection connection, Migration m) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(
        "SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?")) {
      st.setString(1, m.module());
      st.setInt(2, m.version());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
