package cn.legalkoi.config;

import java.util.List;

/** Credentials and endpoints of the chat platforms; a channel with empty credentials is off. */
public record ChannelsConfig(WeCom wecom, DingTalk dingtalk, Feishu feishu) {

  /**
   * 企业微信 self-built application: on when it can both read callbacks and send replies.
   *
   * @param passiveReplyMillis how long a callback waits for its answer to carry it in the response (WeCom's passive
   *     reply; WeCom waits five seconds); a later answer, or any with 0, is sent with {@code message/send}
   */
  public record WeCom(String token, String encodingAesKey, String corpId, int agentId, String secret, String apiBase,
      int passiveReplyMillis) {
    public static final int DEFAULT_PASSIVE_REPLY_MILLIS = 2_000;

    public WeCom {
      if (passiveReplyMillis < 0 || passiveReplyMillis > 4_000) {
        throw new IllegalArgumentException("channels.wecom.passiveReplyMillis must be 0 (off) to 4000, well inside"
            + " WeCom's five seconds");
      }
    }

    public WeCom(String token, String encodingAesKey, String corpId, int agentId, String secret, String apiBase) {
      this(token, encodingAesKey, corpId, agentId, secret, apiBase, DEFAULT_PASSIVE_REPLY_MILLIS);
    }

    public boolean enabled() {
      return !token.isEmpty() && !encodingAesKey.isEmpty() && !corpId.isEmpty() && !secret.isEmpty();
    }
  }

  /**
   * 钉钉 enterprise-internal robot application.
   *
   * @param mode {@code stream} (the service dials DingTalk; no public address) or {@code http} (DingTalk calls
   *     {@code /webhooks/dingtalk})
   * @param robotCode the robot's code for OpenAPI sends; empty means the appKey, which DingTalk uses for it
   * @param sessionWebhookHosts hosts (a {@code host:port} entry names one port) whose session webhooks are called
   */
  public record DingTalk(String mode, String appKey, String appSecret, String robotCode, String apiBase,
      List<String> sessionWebhookHosts) {
    public static final String STREAM = "stream";
    public static final String HTTP = "http";

    public DingTalk {
      if (!STREAM.equals(mode) && !HTTP.equals(mode)) {
        throw new IllegalArgumentException("channels.dingtalk.mode must be \"stream\" or \"http\", not \"" + mode
            + "\"");
      }
      sessionWebhookHosts = List.copyOf(sessionWebhookHosts);
    }

    public boolean enabled() {
      return !appKey.isEmpty() && !appSecret.isEmpty();
    }

    public boolean isStream() {
      return STREAM.equals(mode);
    }

    /** The code OpenAPI robot sends name the robot by. */
    public String robotCodeOrAppKey() {
      return robotCode.isEmpty() ? appKey : robotCode;
    }
  }

  /** 飞书 application; the Encrypt Key is optional (without it events come in plain JSON, unsigned). */
  public record Feishu(String appId, String appSecret, String verificationToken, String encryptKey, String apiBase) {
    public boolean enabled() {
      return !appId.isEmpty() && !appSecret.isEmpty() && !verificationToken.isEmpty();
    }
  }
}
