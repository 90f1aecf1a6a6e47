package cn.legalkoi.chat;

import io.vertx.core.Future;

/**
 * Carries outbox messages to one platform. A failure the platform reports inside an HTTP 200 (a non-zero
 * {@code errcode} or {@code code}) is a failed future like any other; the outbox retries it.
 */
public interface ChannelSender {
  Future<Void> send(Outgoing message);
}
