package cn.legalkoi.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer thread's prepared statements, kept by their SQL: the same few statements run for every message, and
 * SQLite compiling them again each time cost about a third of the writer's time. A unit gets a statement whose
 * {@code close()} hands it back (parameters cleared) instead of finalizing it. A statement already handed out is
 * not shared: asking for the same SQL again meanwhile gives a statement of its own. Used by the writer thread only.
 */
final class StatementCache implements AutoCloseable {
  private static final int MAX_STATEMENTS = 64;

  private final Connection connection;
  private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(16, 0.75f, true);
  /** Cached statements a unit holds now, by SQL. */
  private final Map<String, PreparedStatement> handedOut = new HashMap<>();

  StatementCache(Connection connection) {
    this.connection = connection;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = idle.remove(sql);
    if (statement == null) {
      if (handedOut.containsKey(sql)) {
        return connection.prepareStatement(sql); // the cached one is in use: an ordinary statement
      }
      statement = connection.prepareStatement(sql);
    }
    handedOut.put(sql, statement);
    return lent(sql, statement);
  }

  private PreparedStatement lent(String sql, PreparedStatement statement) {
    boolean[] returned = {false};
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              if (!returned[0]) {
                returned[0] = true;
                giveBack(sql, statement);
              }
              return null;
            case "isClosed":
              return returned[0] || statement.isClosed();
            default:
              break;
          }
          if (returned[0]) {
            throw new SQLException("statement used after close: " + sql);
          }
          try {
            return method.invoke(statement, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void giveBack(String sql, PreparedStatement statement) throws SQLException {
    handedOut.remove(sql);
    if (statement.isClosed()) {
      return;
    }
    statement.clearParameters();
    idle.put(sql, statement);
    if (idle.size() > MAX_STATEMENTS) {
      Map.Entry<String, PreparedStatement> eldest = idle.entrySet().iterator().next();
      idle.remove(eldest.getKey());
      eldest.getValue().close();
    }
  }

  /** After a unit: a statement it did not close is closed for good, as closing its own connection would. */
  void closeHandedOut() throws SQLException {
    for (PreparedStatement statement : handedOut.values()) {
      statement.close();
    }
    handedOut.clear();
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement statement : idle.values()) {
      statement.close();
    }
    idle.clear();
  }
}
