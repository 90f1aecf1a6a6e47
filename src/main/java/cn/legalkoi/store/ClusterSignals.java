package cn.legalkoi.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Short signals that reach every node sharing the database, the sending one included: a ticket changed, a reply
 * for a web chat was written, a new index or guidance was published. Each carries a small text (an id, never
 * personal data); a receiver reads what changed from the database. On the embedded store they stay in the process;
 * on PostgreSQL they travel by {@code NOTIFY}, which delivers them only once the sending transaction commits.
 */
public interface ClusterSignals {
  /** Sends {@code payload} (at most a few hundred bytes) on {@code topic} to every node's handlers. */
  Future<Void> publish(String topic, String payload);

  /**
   * Calls {@code handler} on an event loop for each signal on {@code topic}, from any node; the future completes
   * once signals sent from then on are heard.
   */
  Future<Void> subscribe(String topic, Handler<String> handler);
}
