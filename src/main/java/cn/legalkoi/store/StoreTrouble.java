package cn.legalkoi.store;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Recognises a database that cannot take a write for now (locked by another process, the disk full, an I/O error)
 * rather than a defect, so that a request gets 503 with {@code Retry-After} and a clear log line, and the service
 * carries on once the cause is gone: SQLite rolls the failed transaction back, so nothing half-written remains.
 */
public final class StoreTrouble {
  private StoreTrouble() {
  }

  /** What is wrong with the database, in words for the log, when {@code failure} comes from it being unavailable. */
  public static Optional<String> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e) {
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
