package cn.legalkoi.config;

import java.util.List;

/** Credentials and endpoints of the chat platforms; a channel with empty credentials is off. */
public record ChannelsConfig(WeCom wecom, DingTalk dingtalk, Feishu feishu) {

  /** 企业微信 self-built application: on when it can both read callbacks and send replies. */
  public record WeCom(String token, String encodingAesKey, String corpId, int agentId, String secret, String apiBase) {
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
