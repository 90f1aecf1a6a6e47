package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.InboundMessage;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A customer's message from a {@code kf/sync_msg} page, as the conversation core takes it.
 *
 * @param sentAt the message's {@code send_time}, epoch milliseconds (the time it was read when WeCom gave none):
 *     the start of the customer's reply window
 */
record KfMessage(InboundMessage message, String openKfId, long sentAt) {
  /** {@code origin} of a message the customer wrote (4 is a system event, 5 the servicer's own message). */
  static final int FROM_CUSTOMER = 3;
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z_@.-]{1,128}");
  private static final Pattern TYPE = Pattern.compile("[a-z_]{1,32}");

  /** The customer's message, or empty for anything else (an event, the servicer's message, a malformed entry). */
  static Optional<KfMessage> read(JsonObject msg, long now) {
    if (!(msg.getValue("origin") instanceof Number) || msg.getInteger("origin") != FROM_CUSTOMER) {
      return Optional.empty();
    }
    String msgId = string(msg, "msgid");
    String user = string(msg, "external_userid");
    String openKfId = string(msg, "open_kfid");
    String type = string(msg, "msgtype");
    if (!ID.matcher(msgId).matches() || !ID.matcher(user).matches() || !ID.matcher(openKfId).matches()
        || !TYPE.matcher(type).matches()) {
      return Optional.empty();
    }
    long sentAt = msg.getValue("send_time") instanceof Number ? msg.getLong("send_time") * 1000 : now;
    JsonObject content = msg.getValue(type) instanceof JsonObject ? msg.getJsonObject(type) : new JsonObject();
    boolean text = InboundMessage.TEXT.equals(type);
    String words = text ? string(content, "content").strip() : "";
    if (text && words.isEmpty()) {
      return Optional.empty();
    }
    String mediaId = text ? null : string(content, "media_id");
    return Optional.of(new KfMessage(new InboundMessage(Channel.WECOM_KF, msgId, user, user, type, words,
        mediaId == null || mediaId.isEmpty() ? null : mediaId,
        new JsonObject().put("openKfId", openKfId).put("externalUserId", user)), openKfId, sentAt));
  }

  private static String string(JsonObject json, String key) {
    return json.getValue(key) instanceof String ? json.getString(key) : "";
  }
}
