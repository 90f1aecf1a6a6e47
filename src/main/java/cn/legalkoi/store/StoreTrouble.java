package cn.legalkoi.store;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Recognises a database that cannot take a write for now (locked by another process, the disk full, an I/O error)
 * rather than a defect, so that a request gets 503 with {@code Retry-After} and a clear log line, and the service
 * carries on once the cause is gone: SQLite rolls the failed transaction back, so nothing half-written remains.
 * On PostgreSQL: the server unreachable, shutting down, out of connections, or its disk full.
 */
public final class StoreTrouble {
  private StoreTrouble() {
  }

  /** What is wrong with the database, in words for the log, when {@code failure} comes from it being unavailable. */
  public static Optional<String> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03") || state.equals("53300")) {
          return Optional.of("PostgreSQL cannot be reached or takes no more connections (" + state + ")");
        }
        if (state.equals("53100")) {
          return Optional.of("the disk holding the PostgreSQL database is full");
        }
        int code = e.getErrorCode() & 0xff;
        String message = String.valueOf(e.getMessage());
        if (code == 5 || code == 6 || message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED")) {
          return Optional.of("the database is locked by another process");
        }
        if (code == 13 || message.contains("SQLITE_FULL")) {
          return Optional.of("the disk holding the database is full");
        }
        if (code == 10 || message.contains("SQLITE_IOERR") || code == 14 || message.contains("SQLITE_CANTOPEN")) {
          return Optional.of("the database file cannot be read or written: " + message);
        }
      }
    }
    return Optional.empty();
  }
}
