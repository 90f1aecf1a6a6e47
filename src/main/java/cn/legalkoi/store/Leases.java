package cn.legalkoi.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named, time-limited leases in the shared database, so that a job meant to run once across the nodes (the deadline
 * watch, alerts, the 微信客服 cursor, purges) runs on one of them: the holder renews its lease on each run; when
 * it stops renewing (killed, stopped, cut off) the lease runs out and another node takes it on its next try. On the
 * embedded store the one node always holds them.
 */
public final class Leases {
  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
  static final String TABLE = "CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL,"
      + " held_until INTEGER NOT NULL)";

  /** The holder on the embedded store, where one process owns the database: the same after every restart. */
  static final String EMBEDDED = "embedded";

  private final Store store;
  private final Clock clock;
  private final String holder;

  /** @param holder this node: on a shared database different on every start, so a killed node's leases run out */
  Leases(Store store, Clock clock, String holder) {
    this.store = store;
    this.clock = clock;
    this.holder = holder;
  }

  /**
   * Takes or renews the lease {@code name} for this node until {@code length} from now; true when this node holds
   * it afterwards, false when another node's lease has not run out.
   */
  public Future<Boolean> hold(String name, Duration length) {
    return store.run(c -> {
      long now = clock.millis();
      try (PreparedStatement st = c.prepareStatement("INSERT INTO leases (name, holder, held_until) VALUES (?, ?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until"
          + " WHERE leases.holder = excluded.holder OR leases.held_until < ? RETURNING holder")) {
        st.setString(1, name);
        st.setString(2, holder);
        st.setLong(3, now + length.toMillis());
        st.setLong(4, now);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() && holder.equals(rs.getString(1));
        }
      }
    });
  }

  /**
   * Runs {@code job} if this node holds (or now takes) the lease {@code name}; otherwise, or when the lease cannot
   * be read, succeeds with {@code otherwise} and leaves the job to the node that holds it. For a periodic job the
   * length is a few of its periods, so that a holder that stops is replaced within that time.
   */
  public <T> Future<T> whenHeld(String name, Duration length, Supplier<Future<T>> job, T otherwise) {
    return hold(name, length).recover(e -> {
      LOG.warn("Could not read the lease {}: {}", name, e.toString());
      return Future.succeededFuture(false);
    }).compose(held -> held ? job.get() : Future.succeededFuture(otherwise));
  }

  /** Gives up every lease this node holds (on a clean stop), so that another node need not wait for them. */
  public Future<Void> releaseAll() {
    return store.<Void>run(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM leases WHERE holder = ?")) {
        st.setString(1, holder);
        st.executeUpdate();
      }
      return null;
    });
  }

  /** Gives the lease up at once (on a clean stop), so that another node need not wait for it to run out. */
  public Future<Void> release(String name) {
    return store.<Void>run(c -> {
      try (PreparedStatement st = c.prepareStatement("DELETE FROM leases WHERE name = ? AND holder = ?")) {
        st.setString(1, name);
        st.setString(2, holder);
        st.executeUpdate();
      }
      return null;
    });
  }
}
