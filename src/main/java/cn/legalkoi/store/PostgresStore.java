package cn.legalkoi.store;

import cn.legalkoi.config.AppConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL shared by several nodes. Each unit of work runs on a worker of this store's own pool (as many workers
 * as connections) in a transaction of its own at {@code SERIALIZABLE}: the units of all nodes behave as if they
 * ran one after another, as they do on the embedded store's single writer, so code written for that needs no
 * locking of its own. A unit that loses a serialization conflict with another node's is rolled back and run
 * again (units do JDBC work only, so running one again is safe). Migrations run under an advisory lock, so nodes
 * starting together apply each once.
 */
final class PostgresStore implements Store {
  private final WriteTrouble trouble = new WriteTrouble();
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
  /** Any fixed number, the same on every node: held while migrating. */
  private static final long MIGRATION_LOCK = 0x6c6567616c6b6fL;
  private static final int MAX_ATTEMPTS = 30;

  private final Vertx vertx;
  private final HikariDataSource pool;
  private final WorkerExecutor workers;
  private final boolean created;
  private final Leases leases;
  private final PostgresSignals signals;

  private PostgresStore(Vertx vertx, AppConfig.Database settings, HikariDataSource pool, boolean created) {
    this.vertx = vertx;
    this.pool = pool;
    this.created = created;
    this.workers = vertx.createSharedWorkerExecutor("legal-koi-postgres", settings.poolSize());
    this.leases = new Leases(this, Clock.systemUTC(), UUID.randomUUID().toString());
    this.signals = new PostgresSignals(vertx, this, () -> connect(settings));
  }

  /** Connects, applies the migrations no node has applied yet, and starts listening for signals. Blocking. */
  static PostgresStore open(Vertx vertx, AppConfig.Database settings, List<Migration> migrations)
      throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setPoolName("legal-koi-postgres");
    config.setDriverClassName("org.postgresql.Driver");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    properties().forEach((k, v) -> config.addDataSourceProperty((String) k, v));
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new SQLException("cannot connect to PostgreSQL at " + settings.url() + ": " + e.getMessage(), e);
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(true);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      lock(c, "pg_advisory_lock");
      try {
        try (java.sql.Statement st = c.createStatement()) {
          // SQLite's instr(), which a few statements use to find text, in PostgreSQL's words
          st.execute("CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE"
              + " AS 'SELECT strpos($1, $2)'");
        }
        boolean created = Migrations.apply(c, Dialect.POSTGRES, migrations);
        return new PostgresStore(vertx, settings, pool, created);
      } finally {
        lock(c, "pg_advisory_unlock");
      }
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private static void lock(Connection c, String function) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT " + function + "(?)")) {
      st.setLong(1, MIGRATION_LOCK);
      st.executeQuery().close();
    }
  }

  /** Strings are sent untyped, so that PostgreSQL reads a text parameter as the column's type, as SQLite does. */
  private static Properties properties() {
    Properties p = new Properties();
    p.setProperty("stringtype", "unspecified");
    p.setProperty("ApplicationName", "legal-koi");
    return p;
  }

  private static Connection connect(AppConfig.Database settings) throws SQLException {
    Properties p = properties();
    p.setProperty("user", settings.user());
    p.setProperty("password", settings.password());
    Connection c = DriverManager.getConnection(settings.url(), p);
    c.setAutoCommit(true);
    return c;
  }

  @Override
  public <T> Future<T> run(Work<T> work) {
    // on PostgreSQL the trouble that matters is the server out of reach, which fails reads as well as writes
    return workers.executeBlocking(() -> runInTransaction(work), false).onFailure(trouble::failed);
  }

  @Override
  public java.util.Optional<String> writeTrouble() {
    return trouble.current();
  }

  private <T> T runInTransaction(Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = pool.getConnection()) {
        try {
          UnitConnection own = new UnitConnection(c, null);
          T result = work.run(own.proxy());
          own.abandonOwnTransaction();
          c.commit();
          trouble.wrote();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          if (attempt < MAX_ATTEMPTS && isConflict(e)) {
            backOff(attempt);
            continue;
          }
          throw e;
        }
      }
    }
  }

  /** A serialization failure or deadlock: another node's transaction won; this one may simply run again. */
  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** A few milliseconds, more for each attempt and never the same on two nodes, so that they stop colliding. */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean wasCreated() {
    return created;
  }

  @Override
  public Future<Void> copyTo(Path target) {
    return Future.failedFuture(new UnsupportedOperationException(
        "the database is PostgreSQL: back it up with pg_dump (see the README), not with this command"));
  }

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRES;
  }

  @Override
  public Leases leases() {
    return leases;
  }

  @Override
  public ClusterSignals signals() {
    return signals;
  }

  @Override
  public void close() {
    signals.close();
    workers.close();
    pool.close();
    LOG.debug("Closed the PostgreSQL pool");
  }
}
