package cn.legalkoi.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {
  static final String DING = "https://oapi.dingtalk.com/robot/send?access_token=abc123tokenvalue";
  static final String WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=633a31f6-7f9c-4bc4";

  private static JsonObject alerts(JsonObject... webhooks) {
    return new JsonObject().put("webhooks", new JsonArray(List.of((Object[]) webhooks)));
  }

  private static JsonObject hook(String platform, String url, String secret) {
    JsonObject hook = new JsonObject().put("platform", platform).put("url", url);
    return secret == null ? hook : hook.put("secret", secret);
  }

  private static String refusal(JsonObject alerts) {
    return assertThrows(IllegalArgumentException.class, () -> AlertSettings.fromJson(alerts)).getMessage();
  }

  @Test
  @DisplayName("a DingTalk robot with its secret and a WeCom robot without one are read as written")
  void readsBothPlatforms() {
    AlertSettings settings = AlertSettings.fromJson(alerts(hook("dingtalk", DING, "SECabc"), hook("wecom", WECOM,
        null)));
    assertEquals(List.of(new AlertSettings.Webhook(AlertSettings.Platform.DINGTALK, DING, "SECabc"),
        new AlertSettings.Webhook(AlertSettings.Platform.WECOM, WECOM, "")), settings.webhooks());
    assertTrue(settings.webhooks().get(0).isSigned());
    assertFalse(settings.webhooks().get(1).isSigned());
  }

  @Test
  @DisplayName("no alerts key, no webhooks key and an empty list all mean no robots")
  void emptyMeansNone() {
    assertEquals(List.of(), AlertSettings.fromJson(null).webhooks());
    assertEquals(List.of(), AlertSettings.fromJson(new JsonObject()).webhooks());
    assertEquals(List.of(), AlertSettings.fromJson(alerts()).webhooks());
  }

  @Test
  @DisplayName("an unknown platform is refused by name and position")
  void unknownPlatform() {
    assertEquals("alerts.webhooks[1].platform must be \"dingtalk\" or \"wecom\", not \"feishu\"",
        refusal(alerts(hook("wecom", WECOM, null), hook("feishu", WECOM, null))));
    assertEquals("alerts.webhooks[0].platform must be \"dingtalk\" or \"wecom\", not \"\"",
        refusal(alerts(hook("", WECOM, null))));
  }

  @Test
  @DisplayName("a url that is missing, not http(s), hostless or without its key is refused, the key masked in the"
      + " message")
  void badUrls() {
    assertEquals("alerts.webhooks[0].url is missing", refusal(alerts(hook("wecom", "", null))));
    assertEquals("alerts.webhooks[0].url must start with https:// (or http://): ftp://qyapi.weixin.qq.com/send?key=***",
        refusal(alerts(hook("wecom", "ftp://qyapi.weixin.qq.com/send?key=secretkey", null))));
    assertEquals("alerts.webhooks[0].url has no host: https:///robot/send?access_token=***",
        refusal(alerts(hook("dingtalk", "https:///robot/send?access_token=abc123tokenvalue", null))));
    assertTrue(refusal(alerts(hook("dingtalk", "https://oapi.dingtalk.com/robot/send", null)))
        .startsWith("alerts.webhooks[0].url has no query"));
    String invalid = refusal(alerts(hook("dingtalk", "https://oapi.dingtalk.com/robot send?access_token=abc123tok",
        null)));
    assertEquals("alerts.webhooks[0].url is not a valid address: https://oapi.dingtalk.com/robot send?access_token=***",
        invalid);
  }

  @Test
  @DisplayName("a WeCom robot with a secret is refused: WeCom group robots are not signed")
  void weComSecret() {
    assertEquals("alerts.webhooks[0]: WeCom group robots are not signed; leave secret out",
        refusal(alerts(hook("wecom", WECOM, "SECabc"))));
  }

  @Test
  @DisplayName("webhooks that are not a list of objects with string fields are refused")
  void wrongShapes() {
    assertEquals("alerts.webhooks must be a list", refusal(new JsonObject().put("webhooks", "x")));
    assertEquals("alerts.webhooks[0] must be an object with platform, url and secret",
        refusal(new JsonObject().put("webhooks", new JsonArray().add("dingtalk"))));
    assertEquals("alerts.webhooks[0].secret must be a string",
        refusal(alerts(new JsonObject().put("platform", "dingtalk").put("url", DING).put("secret", 42))));
  }

  @Test
  @DisplayName("a webhook printed shows its platform and masked address, never its token or secret")
  void printsMasked() {
    AlertSettings settings = AlertSettings.fromJson(alerts(hook("dingtalk", DING, "SECabc")));
    assertEquals("[dingtalk robot https://oapi.dingtalk.com/robot/send?access_token=***]", settings.webhooks()
        .toString());
  }
}
