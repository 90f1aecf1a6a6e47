package cn.legalkoi.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs every unit of work, in the order they were submitted. It takes whatever is queued (up to
 * {@value #MAX_GROUP} units) and runs it as one transaction with one commit, each unit inside its own savepoint:
 * a unit that fails is rolled back to its savepoint and fails alone, the others commit together. Every unit's future
 * completes only after that commit, so a caller told that its write succeeded holds a durable write. When the commit
 * itself fails the group is rolled back and each unit runs again on its own, so a unit may run twice: units do
 * JDBC work only.
 *
 * <p>Under load this turns one commit per unit into one per group: 64 owners' messages arriving together cost one
 * WAL append and lock round, not 64.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  static final int MAX_GROUP = 256;

  private final Connection connection;
  private final StatementCache statements;
  private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final WriteTrouble trouble = new WriteTrouble();
  private boolean closed;

  GroupCommitWriter(Connection connection, String threadName) {
    this.connection = connection;
    this.statements = new StatementCache(connection);
    this.thread = new Thread(this::runUntilClosed, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the work; its future completes on {@code context} once the work's group has been committed. */
  synchronized <T> Future<T> submit(Store.Work<T> work, Context context) {
    return submit(work, context, false);
  }

  /**
   * Queues work that must run outside any transaction (such as {@code VACUUM INTO}): it runs alone, in its turn,
   * after the units queued before it are committed and before any queued after it start.
   */
  synchronized <T> Future<T> submitAlone(Store.Work<T> work, Context context) {
    return submit(work, context, true);
  }

  private synchronized <T> Future<T> submit(Store.Work<T> work, Context context, boolean alone) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the store is closed"));
    }
    Unit<T> unit = new Unit<>(work, context, Promise.promise(), alone);
    queue.add(unit);
    return unit.promise.future();
  }

  /** Why writes fail now, as the last units showed; empty while they commit. */
  java.util.Optional<String> writeTrouble() {
    return trouble.current();
  }

  /** Runs what is already queued, then stops the thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(Unit.STOP);
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runUntilClosed() {
    List<Unit<?>> group = new ArrayList<>();
    while (true) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() ends this thread, so that nothing queued is left without an answer
      }
      queue.drainTo(group, MAX_GROUP - 1);
      boolean stop = group.remove(Unit.STOP);
      runInTurn(group);
      group.clear();
      if (stop) {
        closeStatements();
        return;
      }
    }
  }

  /** Runs the units in order: those that run alone on their own, the others in groups between them. */
  private void runInTurn(List<Unit<?>> units) {
    List<Unit<?>> group = new ArrayList<>();
    for (Unit<?> unit : units) {
      if (!unit.alone) {
        group.add(unit);
        continue;
      }
      if (!group.isEmpty()) {
        runGroup(group);
        group = new ArrayList<>();
      }
      runAlone(unit);
    }
    if (!group.isEmpty()) {
      runGroup(group);
    }
  }

  /** Work outside a transaction, on the connection itself; nothing else runs meanwhile. */
  private <T> void runAlone(Unit<T> unit) {
    try {
      unit.result = unit.work.run(connection);
    } catch (Throwable e) {
      unit.failure = e; // not a write trouble: such work writes elsewhere (a backup copy to another disk)
    }
    unit.settle();
  }

  private void runGroup(List<Unit<?>> group) {
    try {
      runInOneTransaction(group);
      group.forEach(Unit::settle);
    } catch (SQLException | RuntimeException e) {
      rollBack();
      if (group.size() == 1) {
        Unit<?> only = group.get(0);
        // the unit's own failure says why (the disk full …), not the savepoint SQLite dropped with the transaction
        Throwable why = only.failure != null ? only.failure : e;
        trouble.failed(why);
        only.settle(null, why);
        return;
      }
      LOG.warn("A group of {} store units could not be committed ({}); running each on its own", group.size(),
          e.toString());
      for (Unit<?> unit : group) {
        runGroup(List.of(unit.fresh()));
      }
    }
  }

  /**
   * Runs each unit in its savepoint and commits them all; a unit's own failure is kept for it and not thrown. On
   * {@code SQLITE_FULL}, {@code IOERR}, {@code BUSY} or {@code NOMEM} SQLite may roll the whole transaction back by
   * itself: the failed unit's savepoint is then gone with the other units' work, and the group fails as a whole.
   */
  private void runInOneTransaction(List<Unit<?>> group) throws SQLException {
    long changesBefore = totalChanges();
    boolean refused = false;
    connection.setAutoCommit(false);
    try {
      for (Unit<?> unit : group) {
        execute("SAVEPOINT unit");
        UnitConnection own = unit.run(connection, statements);
        statements.closeHandedOut();
        if (unit.failure != null) {
          trouble.failed(unit.failure);
          refused |= StoreTrouble.of(unit.failure).isPresent();
          execute("ROLLBACK TO unit"); // also ends a transaction of the unit's own
        } else {
          own.abandonOwnTransaction();
        }
        execute("RELEASE unit");
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      // undo the group before autocommit is turned back on, which would otherwise commit what it holds; when SQLite
      // has already rolled it back, both complain of no transaction: kept with e, which says what went wrong
      try {
        connection.rollback();
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      try {
        connection.setAutoCommit(true);
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    connection.setAutoCommit(true);
    if (!refused && totalChanges() > changesBefore) {
      trouble.wrote();
    }
  }

  private void closeStatements() {
    try {
      statements.close();
    } catch (SQLException e) {
      LOG.debug("Could not close a cached statement: {}", e.toString());
    }
  }

  private void rollBack() {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      } else {
        execute("ROLLBACK");
      }
    } catch (SQLException e) {
      LOG.debug("Nothing to roll back: {}", e.toString());
    }
  }

  /** Rows this connection has changed since it opened (SQLite's {@code total_changes()}). */
  private long totalChanges() throws SQLException {
    try (PreparedStatement st = statements.prepare("SELECT total_changes()");
        java.sql.ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void execute(String sql) throws SQLException {
    try (PreparedStatement st = statements.prepare(sql)) {
      st.executeUpdate();
    }
  }

  /** One submitted piece of work, its result or failure once run, and where to report it. */
  private static final class Unit<T> {
    static final Unit<Void> STOP = new Unit<>(c -> null, null, null, false);

    final Store.Work<T> work;
    final Context context;
    final Promise<T> promise;
    final boolean alone;
    T result;
    Throwable failure;

    Unit(Store.Work<T> work, Context context, Promise<T> promise, boolean alone) {
      this.work = work;
      this.context = context;
      this.promise = promise;
      this.alone = alone;
    }

    /** The same work, not yet run: for running again after its group was rolled back. */
    Unit<T> fresh() {
      return new Unit<>(work, context, promise, alone);
    }

    UnitConnection run(Connection connection, StatementCache statements) {
      UnitConnection own = new UnitConnection(connection, statements);
      try {
        result = work.run(own.proxy());
      } catch (Throwable e) {
        failure = e;
      }
      return own;
    }

    void settle() {
      settle(result, failure);
    }

    @SuppressWarnings("unchecked")
    void settle(Object value, Throwable error) {
      context.runOnContext(v -> {
        if (error == null) {
          promise.complete((T) value);
        } else {
          promise.fail(error);
        }
      });
    }
  }
}
