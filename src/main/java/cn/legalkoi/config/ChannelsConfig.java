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

  /** 钉钉 robot application. */
  public record DingTalk(String appKey, String appSecret, String apiBase, List<String> sessionWebhookHosts) {
    public boolean enabled() {
      return !appKey.isEmpty() && !appSecret.isEmpty();
    }
  }

  /** 飞书 application; the Encrypt Key is optional (without it events come in plain JSON, unsigned). */
  public record Feishu(String appId, String appSecret, String verificationToken, String encryptKey, String apiBase) {
    public boolean enabled() {
      return !appId.isEmpty() && !appSecret.isEmpty() && !verificationToken.isEmpty();
    }
  }
}
