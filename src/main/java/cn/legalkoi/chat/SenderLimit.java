package cn.legalkoi.chat;

/**
 * How many messages one sender may have answered by the bot per minute: a flood from one account must not reach
 * the advisers or the answer decision. Messages over the limit are kept in the conversation unanswered, and the
 * sender is told once.
 */
public record SenderLimit(int perMinute) {
  private static final long MINUTE = 60_000;

  public static SenderLimit defaults() {
    return new SenderLimit(12);
  }

  /** A fixed one-minute window: its start, the messages in it including this one, and whether that is too many. */
  record Window(long start, int count, boolean over) {
  }

  Window count(long windowStart, int windowCount, long now) {
    if (now - windowStart >= MINUTE || now < windowStart) {
      return new Window(now, 1, perMinute < 1);
    }
    return new Window(windowStart, windowCount + 1, windowCount + 1 > perMinute);
  }
}
