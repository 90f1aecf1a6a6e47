package cn.legalkoi.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One transaction for several statements, the JDBC way; inside a caller's transaction it simply runs there. */
public final class Transactions {
  private Transactions() {
  }

  /** Work that throws what JDBC throws. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in a transaction, or inside the caller's when one is already open. When the work fails, its
   * exception is what the caller gets: SQLite rolls a transaction back by itself on {@code SQLITE_FULL} and a few
   * other errors, so the rollback and the return to autocommit may then fail too, and are only kept with it.
   */
  public static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    if (!c.getAutoCommit()) {
      return work.run();
    }
    c.setAutoCommit(false);
    T result;
    try {
      result = work.run();
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      try {
        c.setAutoCommit(true);
      } catch (SQLException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    c.setAutoCommit(true);
    return result;
  }
}
