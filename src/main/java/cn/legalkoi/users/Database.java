package cn.legalkoi.users;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded SQLite database. Every statement runs on one dedicated worker thread, so there is exactly one
 * writer and no JDBC call ever blocks an event loop.
 */
public final class Database implements AutoCloseable {
  /** One unit of JDBC work, run on the database thread. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS users ("
        + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " username TEXT NOT NULL UNIQUE,"
        + " password_hash TEXT NOT NULL,"
        + " role TEXT NOT NULL CHECK (role IN ('admin', 'adviser')),"
        + " created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sessions ("
        + " token_hash TEXT PRIMARY KEY,"
        + " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        + " expires_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at)"
  };

  private final Connection connection;
  private final WorkerExecutor executor;
  private final boolean created;

  private Database(Connection connection, WorkerExecutor executor, boolean created) {
    this.connection = connection;
    this.executor = executor;
    this.created = created;
  }

  /** Opens (creating if needed) the database file. Blocking: call at start-up or from a worker. */
  public static Database open(Vertx vertx, Path file) throws SQLException, java.io.IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    boolean created = !Files.exists(file);
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA foreign_keys=ON");
      st.execute("PRAGMA busy_timeout=5000");
      for (String ddl : SCHEMA) {
        st.execute(ddl);
      }
    }
    return new Database(connection, vertx.createSharedWorkerExecutor("legal-koi-sqlite", 1), created);
  }

  /** True when this start created the database file: the moment to create the bootstrap admin. */
  public boolean wasCreated() {
    return created;
  }

  public <T> Future<T> run(Work<T> work) {
    return executor.executeBlocking(() -> work.run(connection), true);
  }

  @Override
  public void close() throws SQLException {
    executor.close();
    connection.close();
  }
}
