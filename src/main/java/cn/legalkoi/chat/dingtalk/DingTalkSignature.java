package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.Digests;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * DingTalk (钉钉) robot signatures: {@code sign} = Base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)),
 * the timestamp in epoch milliseconds.
 *
 * <p>An HTTP-mode robot callback carries {@code timestamp} and {@code sign} headers signed with the robot's appSecret;
 * DingTalk's "接收消息" document calls a request illegal when the timestamp is more than one hour from the current time
 * or the sign differs. A group-robot webhook (alerts) is called with the same signature, computed with the webhook's
 * "SEC…" secret and URL-encoded into the {@code sign} query parameter.
 */
public final class DingTalkSignature {
  /** How far a callback's timestamp may be from our clock, either way. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);
  private static final Pattern MILLIS = Pattern.compile("[0-9]{1,18}");

  private final String appSecret;

  public DingTalkSignature(String appSecret) {
    this.appSecret = appSecret;
  }

  /** Base64(HmacSHA256(secret, timestamp + "\n" + secret)). */
  public static String sign(String secret, String timestamp) {
    byte[] mac = Digests.hmacSha256(Digests.utf8(secret), Digests.utf8(timestamp + "\n" + secret));
    return Base64.getEncoder().encodeToString(mac);
  }

  /** Whether a callback's {@code timestamp} header is a millisecond time within an hour of {@code now}. */
  public static boolean isFresh(String timestamp, Instant now) {
    if (timestamp == null || !MILLIS.matcher(timestamp).matches()) {
      return false;
    }
    Instant sent = Instant.ofEpochMilli(Long.parseLong(timestamp));
    return Duration.between(sent, now).abs().compareTo(MAX_CLOCK_SKEW) <= 0;
  }

  /** Whether a callback's {@code timestamp} and {@code sign} headers are fresh and signed with the appSecret. */
  public boolean verify(String timestamp, String sign, Instant now) {
    if (!isFresh(timestamp, now)) {
      return false;
    }
    return Digests.sameText(sign(appSecret, timestamp), sign);
  }

  /** The URL-encoded {@code sign} query parameter of a group-robot webhook call made at {@code timestampMillis}. */
  public static String webhookSign(String secret, long timestampMillis) {
    return URLEncoder.encode(sign(secret, Long.toString(timestampMillis)), StandardCharsets.UTF_8);
  }

  /** {@code webhookUrl} (which already carries its access_token) with {@code timestamp} and {@code sign} appended. */
  public static String signedWebhookUrl(String webhookUrl, String secret, Instant now) {
    long millis = now.toEpochMilli();
    String separator = webhookUrl.contains("?") ? "&" : "?";
    return webhookUrl + separator + "timestamp=" + millis + "&sign=" + webhookSign(secret, millis);
  }
}
