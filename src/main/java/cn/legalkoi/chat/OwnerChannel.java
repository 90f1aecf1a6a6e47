package cn.legalkoi.chat;

import static cn.legalkoi.store.Transactions.inTransaction;

import cn.legalkoi.chat.wecom.WeComKfStore;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the tickets need of a conversation, inside their own transaction: its lines, a message to the owner through
 * the outbox (the same path and retries as the bot's replies), the state of each delivery, and whether the owner's
 * channel can still carry a message. Blocking JDBC: call on the database thread.
 */
public final class OwnerChannel {
  private static final String LINE_KEY = "line:";

  private OwnerChannel() {
  }

  /** The owner's side of a conversation: where they wrote and how to reach them. */
  public record Owner(long conversationId, Channel channel, String userId, String conversationKey, JsonObject target) {
  }

  /** How a message to the owner is doing: {@code pending}, {@code sent} or {@code failed}, with the last error. */
  public record Delivery(String state, String error) {
  }

  /**
   * Whether a message can still reach the owner, until when (epoch ms, 0 when no end is known), and why, in words for
   * the adviser.
   */
  public record Reach(boolean reachable, long until, String why) {
  }

  public static Optional<Owner> owner(Connection c, long conversationId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT channel, user_id, conversation_key, reply_target FROM conversations WHERE id = ?")) {
      st.setLong(1, conversationId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(new Owner(conversationId, Channel.fromWireName(rs.getString(1)),
            rs.getString(2), rs.getString(3), new JsonObject(rs.getString(4)))) : Optional.empty();
      }
    }
  }

  /** The conversation's lines from {@code fromId} on, oldest first. */
  public static List<Conversations.Line> lines(Connection c, long conversationId, long fromId, int limit)
      throws SQLException {
    return ChatStore.lines(c, conversationId, fromId - 1, limit).stream()
        .map(l -> new Conversations.Line(l.id(), l.author(), l.kind(), l.text(), l.meta(), l.at())).toList();
  }

  /** The id of the conversation's latest line (0 when it has none). */
  public static long lastLineId(Connection c, long conversationId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM transcript WHERE conversation_id = ?")) {
      st.setLong(1, conversationId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Adds a line from an adviser (or the service) to the transcript and queues it for the owner's channel, cut into
   * as many messages as the channel's limit needs, each at a sentence end where one is near. The line's id.
   */
  public static long send(Connection c, Owner owner, String author, String kind, String text, JsonObject meta, long now)
      throws SQLException {
    return inTransaction(c, () -> {
      long line = ChatStore.addLine(c, owner.conversationId(), author, kind, text, meta, now);
      List<String> parts = split(text, owner.channel().maxReplyBytes());
      try (PreparedStatement st = c.prepareStatement("INSERT INTO outbox (conversation_id, channel, text, in_reply_to,"
          + " target, state, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)")) {
        for (int i = 0; i < parts.size(); i++) {
          st.setLong(1, owner.conversationId());
          st.setString(2, owner.channel().wireName());
          st.setString(3, parts.get(i));
          st.setString(4, LINE_KEY + line + "#" + i);
          st.setString(5, owner.target().encode());
          st.setLong(6, now);
          st.setLong(7, now);
          st.executeUpdate();
        }
      }
      return line;
    });
  }

  /** Makes a ticket's rating request the owner's most recent numbered prompt. */
  public static void askForRating(Connection c, long conversationId, long ticketId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE conversations SET rating_ticket_id = ?, clarify_doc_ids = NULL WHERE id = ?")) {
      st.setLong(1, ticketId);
      st.setLong(2, conversationId);
      st.executeUpdate();
    }
  }

  /** The delivery of each line sent with {@link #send}, by line id: the worst state among its parts. */
  public static Map<Long, Delivery> deliveries(Connection c, long conversationId) throws SQLException {
    Map<Long, Delivery> out = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement("SELECT in_reply_to, state, last_error FROM outbox"
        + " WHERE conversation_id = ? AND in_reply_to LIKE 'line:%' ORDER BY id")) {
      st.setLong(1, conversationId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          long line = Long.parseLong(key.substring(LINE_KEY.length(), key.indexOf('#')));
          Delivery part = new Delivery(rs.getString(2), rs.getString(3));
          out.merge(line, part, OwnerChannel::worse);
        }
      }
    }
    return out;
  }

  /** Whether the owner's channel can still carry a message now, and until when. */
  public static Reach reach(Connection c, Owner owner, long now) throws SQLException {
    switch (owner.channel()) {
      case WECOM_KF: {
        Optional<WeComKfStore.ReplyWindow> window = WeComKfStore.window(c, owner.userId(), now);
        if (window.isEmpty() || window.get().repliesLeft() == 0) {
          return new Reach(false, window.map(WeComKfStore.ReplyWindow::until).orElse(0L),
              "客户最后一条消息已超过48小时或已回复满5条，需等客户再发消息，或电话联系");
        }
        return new Reach(true, window.get().until(), "截止时间前还可回复 "
            + window.get().repliesLeft() + " 条");
      }
      case WEB:
        return new Reach(true, 0, "访客再次打开页面时才能看到回复，请优先电话联系");
      case WECOM:
        return new Reach(true, 0, "可随时发送");
      case DINGTALK:
        return new Reach(true, 0, "可随时发送");
      default:
        return new Reach(true, 0, "可随时回复");
    }
  }

  private static Delivery worse(Delivery a, Delivery b) {
    return rank(b.state()) > rank(a.state()) ? b : a;
  }

  private static int rank(String state) {
    return switch (state) {
      case "failed" -> 2;
      case "pending" -> 1;
      default -> 0;
    };
  }

  /** Cuts text into parts of at most {@code maxBytes} UTF-8 bytes, at a sentence or line end when one is near. */
  static List<String> split(String text, int maxBytes) {
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      int cut = 0;
      int bytes = 0;
      int lastStop = -1;
      for (int i = 0; i < rest.length(); ) {
        int cp = rest.codePointAt(i);
        int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
        if (bytes + size > maxBytes) {
          break;
        }
        bytes += size;
        i += Character.charCount(cp);
        cut = i;
        if ("。！？；\n.!?".indexOf(cp) >= 0) {
          lastStop = i;
        }
      }
      int at = lastStop > cut / 2 ? lastStop : cut;
      parts.add(rest.substring(0, at));
      rest = rest.substring(at);
    }
    if (!rest.isEmpty() || parts.isEmpty()) {
      parts.add(rest);
    }
    return parts;
  }
}
