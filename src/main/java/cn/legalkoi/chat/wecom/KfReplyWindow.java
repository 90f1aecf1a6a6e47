package cn.legalkoi.chat.wecom;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * 微信客服's rule for messages the service sends: only within 48 hours of the customer's last message, and at most
 * five until the customer writes again. For example, a customer who wrote at 09:00 on Monday can be sent five
 * replies until 09:00 on Wednesday; a sixth, or any after Wednesday 09:00, waits for the customer's next message.
 */
final class KfReplyWindow {
  static final Duration OPEN_FOR = Duration.ofHours(48);
  static final int MAX_REPLIES = 5;

  private KfReplyWindow() {
  }

  /** Why one more reply may not be sent now, or empty when it may. */
  static Optional<String> refusal(long lastMessageAt, int repliesSince, long now) {
    if (now - lastMessageAt > OPEN_FOR.toMillis()) {
      return Optional.of("微信客服 reply window closed: the customer last wrote at " + Instant.ofEpochMilli(lastMessageAt)
          + ", more than 48 hours ago; they can be answered after they write again");
    }
    if (repliesSince >= MAX_REPLIES) {
      return Optional.of("微信客服 reply limit reached: " + MAX_REPLIES + " replies since the customer last wrote at "
          + Instant.ofEpochMilli(lastMessageAt) + "; they can be answered after they write again");
    }
    return Optional.empty();
  }
}
