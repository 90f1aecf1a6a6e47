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

  /** Runs {@code work} in a transaction, or inside the caller's when one is already open. */
  public static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    if (!c.getAutoCommit()) {
      return work.run();
    }
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
