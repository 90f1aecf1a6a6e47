package cn.legalkoi.chat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chance to carry a message's reply in the platform's own response to it (WeCom's passive reply), open until
 * its deadline. Exactly one side wins: the store's transaction {@linkplain #claim claims} it while writing the reply
 * as delivered, or the deadline {@linkplain #expire expires} it and the reply is written as pending and sent
 * actively. Once claimed, the response waits for the commit however long it takes, so a reply recorded as
 * delivered is always the one in the response.
 */
final class PassiveReply {
  private static final int OPEN = 0;
  private static final int CLAIMED = 1;
  private static final int EXPIRED = 2;

  private final AtomicInteger state = new AtomicInteger(OPEN);
  private final Promise<Optional<String>> text = Promise.promise();

  /**
   * On the store's thread, inside the transaction that records the reply: true when the reply may be recorded as
   * delivered in the response. True again for the same slot, as the writer may run a unit twice.
   */
  boolean claim() {
    return state.compareAndSet(OPEN, CLAIMED) || state.get() == CLAIMED;
  }

  /** The deadline: unless already claimed, the response goes without a reply. */
  void expire() {
    if (state.compareAndSet(OPEN, EXPIRED)) {
      text.tryComplete(Optional.empty());
    }
  }

  /** The claimed reply is committed: the response carries it. */
  void deliver(String reply) {
    text.tryComplete(Optional.of(reply));
  }

  /** The answer ended without a reply to carry (none, sent actively, or not recorded at all). */
  void nothing() {
    text.tryComplete(Optional.empty());
  }

  /** The reply for the response, or empty for an empty acknowledgement. */
  Future<Optional<String>> future() {
    return text.future();
  }
}
