package cn.legalkoi.chat;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * One message an owner sent, as every channel hands it to the conversation core.
 *
 * @param messageId the platform's id for it (WeCom MsgId, 微信客服 msgid, DingTalk msgId, Feishu event_id, or the
 *     web chat's own); with the channel, what stops a redelivery from being answered twice
 * @param userId the sender on that platform
 * @param conversationKey where it was written: the user's own chat, or a group (a group conversation is that
 *     person's in that group)
 * @param type {@code text}, or what else it is (image, voice, file, sticker …)
 * @param text the text; empty for other types
 * @param mediaId the platform's id of a picture, voice or file, kept for the adviser; empty for text
 * @param target how to reply on this channel (a session webhook, a message id to reply to …)
 */
public record InboundMessage(Channel channel, String messageId, String userId, String conversationKey, String type,
    String text, String mediaId, JsonObject target) {
  public static final String TEXT = "text";

  public boolean isText() {
    return TEXT.equals(type);
  }

  /**
   * What the channel's media API needs to fetch this message's picture, voice or file, recorded with it while the
   * message is at hand: {@code {"mediaId", "type"}}, and {@code "messageId"} when the reply target names the platform
   * message (Feishu serves a file only together with the message it came in). Empty for text and for a message
   * without media.
   */
  public Optional<JsonObject> mediaReference() {
    if (isText() || mediaId == null || mediaId.isEmpty()) {
      return Optional.empty();
    }
    JsonObject reference = new JsonObject().put("mediaId", mediaId).put("type", type);
    Object platformMessage = target == null ? null : target.getValue("messageId");
    if (platformMessage instanceof String && !((String) platformMessage).isEmpty()) {
      reference.put("messageId", platformMessage);
    }
    return Optional.of(reference);
  }
}
