package cn.legalkoi.chat;

import io.vertx.core.Future;

/**
 * Carries outbox messages to one platform. A failure the platform reports inside an HTTP 200 (a non-zero
 * {@code errcode} or {@code code}) is a failed future like any other; the outbox retries it. A send that can never
 * succeed fails with {@link PermanentFailure}, and the outbox keeps it as failed at once.
 */
public interface ChannelSender {
  Future<Void> send(Outgoing message);

  /** A reply the platform will not take however often it is tried, e.g. outside 微信客服's reply window. */
  final class PermanentFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PermanentFailure(String reason) {
      super(reason);
    }
  }
}
