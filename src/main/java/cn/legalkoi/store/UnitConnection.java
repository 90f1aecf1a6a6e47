package cn.legalkoi.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connection a unit of work sees while it runs inside a group's transaction. A unit that manages its own
 * transaction the JDBC way keeps working: {@code setAutoCommit(false)} opens a savepoint, {@code commit()} releases
 * it into the group (made durable by the group's commit, before the unit's future completes) and {@code rollback()}
 * undoes the unit's own transaction. {@code close()} is ignored: the connection belongs to the store. Plain
 * {@code prepareStatement(sql)} comes from the writer's {@link StatementCache} when there is one (SQLite; the
 * PostgreSQL driver keeps its own).
 *
 * <p>For example, {@code setAutoCommit(false); insert a; commit(); insert b; rollback(); setAutoCommit(true)} leaves
 * {@code a} in the group and {@code b} undone, as it would on a connection of its own.
 */
final class UnitConnection implements InvocationHandler {
  private static final String OWN = "unit_own";

  private final Connection connection;
  private final StatementCache statements;
  private final Connection proxy;
  private boolean inOwnTransaction;

  UnitConnection(Connection connection, StatementCache statements) {
    this.connection = connection;
    this.statements = statements;
    this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, this);
  }

  /** What the unit is given to work with. */
  Connection proxy() {
    return proxy;
  }

  /** Ends a transaction the unit left open, as closing its own connection would: what it did is undone. */
  void abandonOwnTransaction() throws SQLException {
    if (inOwnTransaction) {
      execute("ROLLBACK TO " + OWN);
      execute("RELEASE " + OWN);
      inOwnTransaction = false;
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "getAutoCommit":
        return !inOwnTransaction;
      case "setAutoCommit":
        setAutoCommit((Boolean) args[0]);
        return null;
      case "commit":
        if (inOwnTransaction) {
          execute("RELEASE " + OWN);
          execute("SAVEPOINT " + OWN);
        }
        return null;
      case "rollback":
        if (args == null && inOwnTransaction) {
          execute("ROLLBACK TO " + OWN);
          return null;
        }
        break;
      case "close":
        return null;
      case "prepareStatement":
        if (args.length == 1 && statements != null) {
          return statements.prepare((String) args[0]);
        }
        break;
      default:
        break;
    }
    try {
      return method.invoke(connection, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void setAutoCommit(boolean autoCommit) throws SQLException {
    if (!autoCommit && !inOwnTransaction) {
      execute("SAVEPOINT " + OWN);
      inOwnTransaction = true;
    } else if (autoCommit && inOwnTransaction) {
      execute("RELEASE " + OWN);
      inOwnTransaction = false;
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.executeUpdate(sql);
    }
  }
}
