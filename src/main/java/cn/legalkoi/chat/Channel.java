package cn.legalkoi.chat;

import cn.legalkoi.answer.AskReply;

/**
 * The places owners write from, with what each can carry: the one place reply limits live. Limits are UTF-8
 * bytes of one text message.
 */
public enum Channel {
  /** The web chat and the HTTP API; a page shows a long reply well, but a phone screen still wants it short. */
  WEB("web", 4096, true),
  /** A WeCom self-built app: text messages of at most 2,048 bytes. */
  WECOM("wecom", 2048, false),
  /** WeCom 微信客服 to external WeChat users: text of at most 2,048 bytes (the limit of WeCom text). */
  WECOM_KF("wecom_kf", 2048, false),
  /** A DingTalk robot: text and markdown of about 5,000 characters; kept to 5,000 bytes to be safe. */
  DINGTALK("dingtalk", 5000, true),
  /** A Feishu bot: text well above our replies' length. */
  FEISHU("feishu", 8192, false);

  private final String wireName;
  private final int maxReplyBytes;
  private final boolean rendersMarkdown;

  Channel(String wireName, int maxReplyBytes, boolean rendersMarkdown) {
    this.wireName = wireName;
    this.maxReplyBytes = maxReplyBytes;
    this.rendersMarkdown = rendersMarkdown;
  }

  public String wireName() {
    return wireName;
  }

  public int maxReplyBytes() {
    return maxReplyBytes;
  }

  public boolean rendersMarkdown() {
    return rendersMarkdown;
  }

  public static Channel fromWireName(String name) {
    for (Channel c : values()) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown channel '" + name + "'");
  }

  /** The reply as this channel carries it: the short answer cut at a sentence end when the whole does not fit. */
  public String textOf(AskReply reply) {
    return reply.textWithin(maxReplyBytes);
  }
}
