package cn.legalkoi.chat.dingtalk;

/** Where a DingTalk reply goes, as stored with each outbox reply (keys of the inbound message's target). */
final class DingTalkTarget {
  static final String SESSION_WEBHOOK = "sessionWebhook";
  static final String SESSION_WEBHOOK_EXPIRED_TIME = "sessionWebhookExpiredTime";
  static final String CONVERSATION_TYPE = "conversationType";
  static final String OPEN_CONVERSATION_ID = "openConversationId";
  static final String STAFF_ID = "staffId";
  static final String SENDER_NICK = "senderNick";
  static final String ONE_TO_ONE = "1";
  static final String GROUP = "2";

  private DingTalkTarget() {
  }
}
