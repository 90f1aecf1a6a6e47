package cn.legalkoi.chat.feishu;

import io.vertx.core.json.JsonObject;

/** Where a Feishu reply goes, as stored with the conversation: the message it answers, and whom to mention. */
final class FeishuTarget {
  static final String MESSAGE_ID = "messageId";
  static final String CHAT_TYPE = "chatType";
  static final String OPEN_ID = "openId";
  static final String P2P = "p2p";
  static final String GROUP = "group";

  private FeishuTarget() {
  }

  static JsonObject of(String messageId, String chatType, String openId) {
    return new JsonObject().put(MESSAGE_ID, messageId).put(CHAT_TYPE, chatType).put(OPEN_ID, openId);
  }
}
