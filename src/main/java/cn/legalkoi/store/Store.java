package cn.legalkoi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The embedded SQLite database, owned here and shared by every module through {@link #run}. Every statement runs
 * on one dedicated thread ({@link GroupCommitWriter}), so there is exactly one writer and no JDBC call ever blocks
 * an event loop. Each unit of work is atomic (all of it is committed or none of it) and its future completes only
 * once it is committed; units queued together share one commit. WAL with {@code synchronous=NORMAL}: a committed
 * write survives the process being killed. Modules bring their own {@link Migration}s; a PostgreSQL store for
 * several nodes will offer the same {@link #run} over a pool.
 */
public final class Store implements AutoCloseable {
  /**
   * One unit of JDBC work, run on the database thread inside a transaction the store owns. It may also manage a
   * transaction of its own the JDBC way ({@code setAutoCommit(false)}, {@code commit()}, {@code rollback()}); it must
   * not close the connection, and may be run a second time if its group's commit fails, so it does JDBC work only.
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Vertx vertx;
  private final Connection connection;
  private final GroupCommitWriter writer;
  private final boolean created;
  private final Path file;

  private Store(Vertx vertx, Path file, Connection connection, boolean created) {
    this.vertx = vertx;
    this.file = file;
    this.connection = connection;
    this.writer = new GroupCommitWriter(connection, "legal-koi-sqlite");
    this.created = created;
  }

  /**
   * Opens (creating if needed) the database file and applies the migrations it has not seen. Blocking: call at
   * start-up or from a worker.
   */
  public static Store open(Vertx vertx, Path file, List<Migration> migrations) throws SQLException,
      java.io.IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    boolean created = !Files.exists(file);
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=NORMAL");
      st.execute("PRAGMA foreign_keys=ON");
      st.execute("PRAGMA busy_timeout=5000");
      st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL,"
          + " applied_at TEXT NOT NULL, PRIMARY KEY (module, version))");
    }
    migrate(connection, migrations);
    return new Store(vertx, file, connection, created);
  }

  private static void migrate(Connection connection, List<Migration> migrations) throws SQLException {
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
          st.execute(ddl);
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

  /** True when this start created the database file: the moment to create the bootstrap admin. */
  public boolean wasCreated() {
    return created;
  }

  /** Runs the work on the database thread; succeeds with its result once what it wrote is committed. */
  public <T> Future<T> run(Work<T> work) {
    return writer.submit(work, vertx.getOrCreateContext());
  }

  /**
   * Why the database refuses writes now (locked by another process, the disk full …), as the last writes showed:
   * present from a write refused for such a cause until a later write commits. Cheap; for {@code /health}.
   */
  public java.util.Optional<String> writeTrouble() {
    return writer.writeTrouble();
  }

  /**
   * Writes a consistent copy of the database to {@code target} (which must not exist) with {@code VACUUM INTO}, in
   * the writer's turn: every write committed before the call is in the copy, none after it. Writes wait meanwhile.
   */
  public Future<Void> copyTo(Path target) {
    // a connection of its own: the writer's keeps prepared statements that VACUUM would count as in progress
    return writer.submitAlone(c -> {
      copy(file, target);
      return null;
    }, vertx.getOrCreateContext());
  }

  /**
   * {@code VACUUM INTO} on a connection of its own to {@code database}: SQLite's consistent snapshot of what is
   * committed, even while another process writes.
   */
  public static void copy(Path database, Path target) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("PRAGMA busy_timeout=10000");
      }
      try (Statement st = c.createStatement()) {
        st.executeUpdate("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
      }
    }
  }

  /** Runs what is queued, then closes the database. */
  @Override
  public void close() throws SQLException {
    writer.close();
    connection.close();
  }
}
