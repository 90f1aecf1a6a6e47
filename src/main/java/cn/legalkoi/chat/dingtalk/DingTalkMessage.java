package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.InboundMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A message to the robot, the same JSON in stream and HTTP mode. Example, a group question:
 *
 * <pre>
 * {"msgtype": "text", "text": {"content": " 第一次违法能不能不罚款"}, "msgId": "msgABC…",
 *  "conversationType": "2", "conversationId": "cidXYZ…", "senderStaffId": "manager1234", "senderId": "$:LWCP…",
 *  "senderNick": "张三", "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=…",
 *  "sessionWebhookExpiredTime": 1700005400000, "robotCode": "dingabc…"}
 * </pre>
 *
 * reads as the text {@code 第一次违法能不能不罚款} from {@code manager1234}, in the conversation {@code cidXYZ…}; a
 * one-to-one message ({@code "1"}) is in the sender's own conversation.
 */
final class DingTalkMessage {
  private DingTalkMessage() {
  }

  /** The message for the conversation core; IllegalArgumentException names what is missing or malformed. */
  static InboundMessage parse(String json) {
    Object parsed;
    try {
      parsed = Json.decodeValue(json);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (!(parsed instanceof JsonObject)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return toInbound((JsonObject) parsed);
  }

  static InboundMessage toInbound(JsonObject m) {
    String msgId = required(m, "msgId");
    String msgtype = required(m, "msgtype");
    String conversationType = required(m, "conversationType");
    if (!DingTalkTarget.ONE_TO_ONE.equals(conversationType) && !DingTalkTarget.GROUP.equals(conversationType)) {
      throw new IllegalArgumentException("conversationType is neither \"1\" nor \"2\"");
    }
    String conversationId = required(m, "conversationId");
    String staffId = optional(m, "senderStaffId");
    String sender = staffId.isEmpty() ? required(m, "senderId") : staffId;
    boolean group = DingTalkTarget.GROUP.equals(conversationType);
    boolean text = InboundMessage.TEXT.equals(msgtype);
    String content = "";
    if (text) {
      Object body = m.getValue("text");
      if (!(body instanceof JsonObject) || !(((JsonObject) body).getValue("content") instanceof String)) {
        throw new IllegalArgumentException("a text message without text.content");
      }
      content = ((JsonObject) body).getString("content").strip();
    }
    Object expires = m.getValue("sessionWebhookExpiredTime");
    JsonObject target = new JsonObject()
        .put(DingTalkTarget.SESSION_WEBHOOK, optional(m, "sessionWebhook"))
        .put(DingTalkTarget.SESSION_WEBHOOK_EXPIRED_TIME, expires instanceof Number ? ((Number) expires).longValue() : 0L)
        .put(DingTalkTarget.CONVERSATION_TYPE, conversationType)
        .put(DingTalkTarget.OPEN_CONVERSATION_ID, conversationId)
        .put(DingTalkTarget.STAFF_ID, staffId)
        .put(DingTalkTarget.SENDER_NICK, optional(m, "senderNick"));
    return new InboundMessage(Channel.DINGTALK, msgId, sender, group ? conversationId : sender, msgtype, content,
        text ? null : downloadCode(m), target);
  }

  /** A picture's or file's downloadCode, kept for the adviser. */
  private static String downloadCode(JsonObject m) {
    Object content = m.getValue("content");
    if (content instanceof JsonObject) {
      String code = optional((JsonObject) content, "downloadCode");
      return code.isEmpty() ? null : code;
    }
    return null;
  }

  private static String required(JsonObject m, String key) {
    String value = optional(m, key);
    if (value.isEmpty()) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  private static String optional(JsonObject m, String key) {
    Object value = m.getValue(key);
    return value instanceof String ? (String) value : "";
  }
}
