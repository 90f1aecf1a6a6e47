package cn.legalkoi.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded SQLite database (the default store), owned here and shared by every module through {@link #run}. Every statement runs
 * on one dedicated thread ({@link GroupCommitWriter}), so there is exactly one writer and no JDBC call ever blocks
 * an event loop. Each unit of work is atomic (all of it is committed or none of it) and its future completes only
 * once it is committed; units queued together share one commit. WAL with {@code synchronous=NORMAL}: a committed
 * write survives the process being killed. Modules bring their own {@link Migration}s; {@link PostgresStore} offers the same
 * {@link #run} over a pool for several nodes.
 */
final class SqliteStore implements Store {

  private final Vertx vertx;
  private final Connection connection;
  private final GroupCommitWriter writer;
  private final boolean created;
  private final Path file;

  private final Leases leases;
  private final ClusterSignals signals;

  private SqliteStore(Vertx vertx, Path file, Connection connection, boolean created) {
    this.vertx = vertx;
    this.file = file;
    this.connection = connection;
    this.writer = new GroupCommitWriter(connection, "legal-koi-sqlite");
    this.created = created;
    // one node owns the file (the data directory's lock): it is the same holder after a restart
    this.leases = new Leases(this, java.time.Clock.systemUTC(), Leases.EMBEDDED);
    this.signals = new LocalSignals(vertx);
  }

  /**
   * Opens (creating if needed) the database file and applies the migrations it has not seen. Blocking: call at
   * start-up or from a worker.
   */
  static SqliteStore open(Vertx vertx, Path file, List<Migration> migrations) throws SQLException,
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
    Migrations.apply(connection, Dialect.SQLITE, migrations);
    return new SqliteStore(vertx, file, connection, created);
  }

  /** True when this start created the database file: the moment to create the bootstrap admin. */
  @Override
  public boolean wasCreated() {
    return created;
  }

  @Override
  public java.util.Optional<String> writeTrouble() {
    return writer.writeTrouble();
  }

  /** Runs the work on the database thread; succeeds with its result once what it wrote is committed. */
  @Override
  public <T> Future<T> run(Work<T> work) {
    return writer.submit(work, vertx.getOrCreateContext());
  }

  /**
   * Writes a consistent copy of the database to {@code target} (which must not exist) with {@code VACUUM INTO}, in
   * the writer's turn: every write committed before the call is in the copy, none after it. Writes wait meanwhile.
   */
  @Override
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
  static void copy(Path database, Path target) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath())) {
      try (Statement st = c.createStatement()) {
        st.executeUpdate("PRAGMA busy_timeout=10000");
      }
      try (Statement st = c.createStatement()) {
        st.executeUpdate("VACUUM INTO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
      }
    }
  }

  @Override
  public Dialect dialect() {
    return Dialect.SQLITE;
  }

  @Override
  public Leases leases() {
    return leases;
  }

  @Override
  public ClusterSignals signals() {
    return signals;
  }

  /** Runs what is queued, then closes the database. */
  @Override
  public void close() throws SQLException {
    writer.close();
    connection.close();
  }
}
