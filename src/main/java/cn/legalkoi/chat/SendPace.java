package cn.legalkoi.chat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the outbox within each platform's published sending limits, per owner's conversation: WeCom app messages at
 * most 30 a minute to one member (more are dropped by WeCom without an error), Feishu at most 5 a second to one user
 * or chat, DingTalk robots at most 20 a minute per conversation. A message over its limit is not a failure: it stays
 * pending and goes in a later round, in order. 微信客服's own window (5 replies per owner message, 48 hours) is kept
 * by its sender. Counts live in memory: after a restart a conversation may get one window's worth again, which the
 * platforms' limits allow for.
 */
final class SendPace {
  /** How many messages one conversation may be sent in how long, for one channel. */
  record Limit(int messages, long perMillis) {
  }

  private final Map<Channel, Limit> limits;
  private final Map<Long, Deque<Long>> sent = new HashMap<>();

  private final long longestWindow;

  SendPace(Map<Channel, Limit> limits) {
    this.limits = Map.copyOf(limits);
    this.longestWindow = limits.values().stream().mapToLong(Limit::perMillis).max().orElse(0);
  }

  /** The platforms' published limits. */
  static SendPace published() {
    return new SendPace(Map.of(
        Channel.WECOM, new Limit(30, 60_000),
        Channel.FEISHU, new Limit(5, 1_000),
        Channel.DINGTALK, new Limit(20, 60_000)));
  }

  /** Takes a place for one message to this conversation now; false when its window is full. */
  synchronized boolean take(Channel channel, long conversationId, long now) {
    Limit limit = limits.get(channel);
    if (limit == null) {
      return true;
    }
    Deque<Long> times = sent.computeIfAbsent(conversationId, id -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - limit.perMillis()) {
      times.pollFirst();
    }
    if (times.size() >= limit.messages()) {
      return false;
    }
    times.addLast(now);
    if (sent.size() > 10_000) {
      // a conversation sent nothing within the longest window no longer limits anything
      sent.values().removeIf(t -> t.isEmpty() || t.peekLast() <= now - longestWindow);
    }
    return true;
  }

  /** How many conversations' sending times are held (for tests). */
  synchronized int tracked() {
    return sent.size();
  }
}
