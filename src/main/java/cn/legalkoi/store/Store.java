package cn.legalkoi.store;

import cn.legalkoi.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The database every module shares through {@link #run}: the embedded SQLite file ({@link SqliteStore}, the
 * default) or PostgreSQL shared by several nodes ({@link PostgresStore}), chosen by {@code database.url}. Each unit
 * of work is atomic and its future completes once it is committed. Statements and migrations are written once for
 * both: portable SQL ({@code ON CONFLICT … DO NOTHING}, {@code RETURNING}, {@code CASE} rather than two-argument
 * {@code min}), SQLite's DDL translated by {@link Dialect}.
 */
public interface Store extends AutoCloseable {
  /**
   * One unit of JDBC work, run off the event loop inside a transaction the store owns. It may also manage a
   * transaction of its own the JDBC way ({@code setAutoCommit(false)}, {@code commit()}, {@code rollback()}); it must
   * not close the connection, and may be run a second time (its group's commit failed on SQLite, a serialization
   * conflict with another node on PostgreSQL), so it does JDBC work only.
   */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs the work; succeeds with its result once what it wrote is committed. */
  <T> Future<T> run(Work<T> work);

  /** True when this start created the schema: the moment to create the bootstrap admin. */
  boolean wasCreated();

  /** Writes a consistent copy of the database to {@code target}; only the embedded store can. */
  Future<Void> copyTo(Path target);

  Dialect dialect();

  /** Time-limited leases, so that a job meant to run once across the nodes does. */
  Leases leases();

  /** Signals that reach every node sharing this database, this one included. */
  ClusterSignals signals();

  /**
   * Why the database refuses writes now (locked by another process, the disk full, unreachable …), as the last
   * writes showed: present from a write refused for such a cause until a later write commits. Cheap; for
   * {@code /health}.
   */
  java.util.Optional<String> writeTrouble();

  @Override
  void close() throws SQLException;

  /** The embedded SQLite file, created if needed, with the migrations it has not seen applied. Blocking. */
  static Store open(Vertx vertx, Path file, List<Migration> migrations) throws SQLException, IOException {
    return SqliteStore.open(vertx, file, migrations);
  }

  /** PostgreSQL when the config names one, else the SQLite file under the data directory. Blocking. */
  static Store open(Vertx vertx, AppConfig config, List<Migration> migrations) throws SQLException, IOException {
    if (config.database().isPostgres()) {
      return PostgresStore.open(vertx, config.database(), migrations);
    }
    return open(vertx, config.databaseFile(), migrations);
  }

  /** {@code VACUUM INTO} a copy of the SQLite file {@code database}, on a connection of its own. Blocking. */
  static void copy(Path database, Path target) throws SQLException {
    SqliteStore.copy(database, target);
  }
}
