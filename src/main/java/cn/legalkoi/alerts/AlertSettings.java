package cn.legalkoi.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The group robots ticket alerts go to, from the {@code alerts} key of the config file:
 * <pre>
 * "alerts": {"webhooks": [
 *   {"platform": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=…", "secret": "SEC…"},
 *   {"platform": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"}]}
 * </pre>
 * A missing key or an empty list means no alerts are sent to any group. The secret is the DingTalk robot's 加签
 * secret (empty or absent when the robot is secured otherwise); WeCom group robots are not signed, so a WeCom
 * webhook with a secret is refused rather than silently ignored.
 */
public record AlertSettings(List<Webhook> webhooks) {

  /** Where a group robot lives. */
  public enum Platform {
    DINGTALK("dingtalk"), WECOM("wecom");

    private final String wireName;

    Platform(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    static Platform fromWireName(String name, String where) {
      for (Platform platform : values()) {
        if (platform.wireName.equals(name)) {
          return platform;
        }
      }
      throw new IllegalArgumentException(where + ".platform must be \"dingtalk\" or \"wecom\", not \"" + name + "\"");
    }
  }

  /**
   * One group robot.
   *
   * @param url the robot's webhook address, carrying its access_token (DingTalk) or key (WeCom): a secret itself
   * @param secret DingTalk 加签 secret; empty when the robot is not signed
   */
  public record Webhook(Platform platform, String url, String secret) {
    public Webhook {
      if (platform == null || url == null || secret == null) {
        throw new IllegalArgumentException("a webhook needs a platform, a url and a (possibly empty) secret");
      }
    }

    public boolean isSigned() {
      return !secret.isEmpty();
    }

    /** Never the url or the secret: both open the group to anyone who reads them. */
    @Override
    public String toString() {
      return platform.wireName() + " robot " + RobotAddress.masked(url);
    }
  }

  public AlertSettings {
    webhooks = List.copyOf(webhooks);
  }

  public static AlertSettings none() {
    return new AlertSettings(List.of());
  }

  /** The settings in an {@code alerts} object; null (the key left out) means none. */
  public static AlertSettings fromJson(JsonObject alerts) {
    if (alerts == null) {
      return none();
    }
    Object list = alerts.getValue("webhooks");
    if (list == null) {
      return none();
    }
    if (!(list instanceof JsonArray)) {
      throw new IllegalArgumentException("alerts.webhooks must be a list");
    }
    List<Webhook> webhooks = new ArrayList<>();
    JsonArray array = (JsonArray) list;
    for (int i = 0; i < array.size(); i++) {
      String where = "alerts.webhooks[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject)) {
        throw new IllegalArgumentException(where + " must be an object with platform, url and secret");
      }
      webhooks.add(webhook(array.getJsonObject(i), where));
    }
    return new AlertSettings(webhooks);
  }

  private static Webhook webhook(JsonObject json, String where) {
    Platform platform = Platform.fromWireName(text(json, "platform", where).trim().toLowerCase(Locale.ROOT), where);
    String url = text(json, "url", where).trim();
    String secret = text(json, "secret", where).trim();
    checkUrl(url, where);
    if (platform == Platform.WECOM && !secret.isEmpty()) {
      throw new IllegalArgumentException(where + ": WeCom group robots are not signed; leave secret out");
    }
    return new Webhook(platform, url, secret);
  }

  private static String text(JsonObject json, String key, String where) {
    Object value = json.getValue(key);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String)) {
      throw new IllegalArgumentException(where + "." + key + " must be a string");
    }
    return (String) value;
  }

  /** An absolute http(s) address with a host; the message names it only masked, as it carries the robot's key. */
  private static void checkUrl(String url, String where) {
    String problem;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      problem = url.isEmpty() ? "is missing"
          : !scheme.equals("http") && !scheme.equals("https") ? "must start with https:// (or http://)"
          : uri.getHost() == null || uri.getHost().isEmpty() ? "has no host"
          : uri.getRawQuery() == null || uri.getRawQuery().isEmpty()
              ? "has no query: a robot webhook carries its access_token or key there"
          : null;
    } catch (URISyntaxException e) {
      problem = "is not a valid address";
    }
    if (problem != null) {
      throw new IllegalArgumentException(where + ".url " + problem + (url.isEmpty() ? "" : ": "
          + RobotAddress.masked(url)));
    }
  }
}
