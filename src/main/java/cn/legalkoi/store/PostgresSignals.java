package cn.legalkoi.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals between nodes by PostgreSQL {@code LISTEN}/{@code NOTIFY}. One connection of its own listens, on a thread
 * of its own that waits for notifications (half a second at a time, so that a close or a new topic is seen soon)
 * and hands each to this node's event bus. A lost connection is opened again a second later; a signal sent while
 * it was down is missed, so receivers also look for changes on their own timer.
 */
final class PostgresSignals implements ClusterSignals, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSignals.class);
  private static final String PREFIX = "legal-koi.signal.";
  private static final Pattern TOPIC = Pattern.compile("[a-z0-9_]{1,40}");
  private static final int WAIT_MS = 500;

  private final Vertx vertx;
  private final Store store;
  private final Callable<Connection> connect;
  /** Topics to listen to, each with what completes once its {@code LISTEN} is in effect. */
  private final Map<String, Promise<Void>> topics = new ConcurrentHashMap<>();
  private final Thread listener;
  private volatile boolean closed;

  PostgresSignals(Vertx vertx, Store store, Callable<Connection> connect) {
    this.vertx = vertx;
    this.store = store;
    this.connect = connect;
    this.listener = new Thread(this::listenUntilClosed, "legal-koi-pg-listen");
    listener.setDaemon(true);
    listener.start();
  }

  @Override
  public Future<Void> publish(String topic, String payload) {
    String channel = channel(topic);
    return store.run(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        st.setString(1, channel);
        st.setString(2, payload);
        st.executeQuery().close();
      }
      return null;
    });
  }

  @Override
  public Future<Void> subscribe(String topic, Handler<String> handler) {
    String channel = channel(topic);
    vertx.eventBus().<String>localConsumer(PREFIX + channel, m -> handler.handle(m.body()));
    Promise<Void> listening = Promise.promise();
    Promise<Void> earlier = topics.putIfAbsent(channel, listening);
    return (earlier == null ? listening : earlier).future();
  }

  private static String channel(String topic) {
    if (!TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("a signal topic is a few lower-case letters, digits or _: " + topic);
    }
    return "legal_koi_" + topic;
  }

  private void listenUntilClosed() {
    while (!closed) {
      try (Connection c = connect.call()) {
        listen(c);
      } catch (Exception e) {
        if (!closed) {
          LOG.warn("Lost the connection that hears other nodes' signals ({}); opening another", e.toString());
          pause();
        }
      }
    }
  }

  private void listen(Connection c) throws SQLException {
    java.util.Set<String> listening = new java.util.HashSet<>();
    PGConnection pg = c.unwrap(PGConnection.class);
    while (!closed) {
      for (Map.Entry<String, Promise<Void>> topic : topics.entrySet()) {
        if (listening.add(topic.getKey())) {
          try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + topic.getKey()); // checked against TOPIC: letters, digits and _
          }
          topic.getValue().tryComplete();
        }
      }
      PGNotification[] notifications = pg.getNotifications(WAIT_MS);
      if (notifications != null) {
        for (PGNotification n : notifications) {
          vertx.eventBus().publish(PREFIX + n.getName(), n.getParameter());
        }
      }
    }
  }

  private void pause() {
    synchronized (this) {
      try {
        wait(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      notifyAll();
    }
    try {
      listener.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
