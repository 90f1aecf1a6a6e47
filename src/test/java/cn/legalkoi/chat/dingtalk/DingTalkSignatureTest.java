package cn.legalkoi.chat.dingtalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The worked example is from PLATFORMS.md: computed with the documented algorithm (and independently with Python's
 * hmac module), not published by DingTalk, whose example in "接收消息" shows the timestamp but no sign.
 */
class DingTalkSignatureTest {
  static final String SECRET = "this is a secret";
  static final String TIMESTAMP = "1577262236757";
  static final String SIGN = "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=";
  static final Instant SENT = Instant.ofEpochMilli(1577262236757L);

  final DingTalkSignature signature = new DingTalkSignature(SECRET);

  @Test
  @DisplayName("the worked example signs to DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=")
  void workedExample() {
    assertEquals(SIGN, DingTalkSignature.sign(SECRET, TIMESTAMP));
    assertTrue(signature.verify(TIMESTAMP, SIGN, SENT.plusSeconds(2)));
  }

  @Test
  @DisplayName("a timestamp up to one hour either side of now is accepted")
  void withinTheHour() {
    assertTrue(signature.verify(TIMESTAMP, SIGN, SENT.plus(Duration.ofHours(1))));
    assertTrue(signature.verify(TIMESTAMP, SIGN, SENT.minus(Duration.ofHours(1))));
  }

  @Test
  @DisplayName("a correctly signed but stale timestamp is rejected")
  void staleTimestamp() {
    Instant now = SENT.plus(Duration.ofHours(1)).plusMillis(1);
    assertFalse(DingTalkSignature.isFresh(TIMESTAMP, now));
    assertFalse(signature.verify(TIMESTAMP, SIGN, now));
  }

  @Test
  @DisplayName("a correctly signed timestamp from more than an hour in the future is rejected")
  void futureTimestamp() {
    Instant now = SENT.minus(Duration.ofHours(1)).minusMillis(1);
    assertFalse(DingTalkSignature.isFresh(TIMESTAMP, now));
    assertFalse(signature.verify(TIMESTAMP, SIGN, now));
  }

  @Test
  @DisplayName("a wrong, missing or foreign sign is rejected")
  void wrongSign() {
    Instant now = SENT.plusSeconds(2);
    assertFalse(signature.verify(TIMESTAMP, "EJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA=", now));
    assertFalse(signature.verify(TIMESTAMP, null, now));
    assertFalse(signature.verify(TIMESTAMP, "", now));
    assertFalse(signature.verify("1577262236758", SIGN, now));
    assertFalse(new DingTalkSignature("another secret").verify(TIMESTAMP, SIGN, now));
  }

  @Test
  @DisplayName("a timestamp that is not a number of milliseconds is rejected")
  void malformedTimestamp() {
    Instant now = SENT.plusSeconds(2);
    assertFalse(signature.verify(null, SIGN, now));
    assertFalse(signature.verify("", SIGN, now));
    assertFalse(signature.verify("1577262236.757", SIGN, now));
    assertFalse(signature.verify("-1577262236757", SIGN, now));
    assertFalse(signature.verify("99999999999999999999999", SIGN, now));
  }

  @Test
  @DisplayName("a group-robot webhook is signed with the same HMAC, URL-encoded")
  void webhookSigning() {
    assertEquals("DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA%3D", DingTalkSignature.webhookSign(SECRET, 1577262236757L));
    // computed independently: Base64 ufo/vjsIF6kkvl7nByuawUjrz1xZs5SLHg+sfCrYlYk=, with '/' and '+' to escape
    assertEquals("ufo%2FvjsIF6kkvl7nByuawUjrz1xZs5SLHg%2BsfCrYlYk%3D",
        DingTalkSignature.webhookSign(SECRET, 1577262236759L));
    assertEquals("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757"
            + "&sign=DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA%3D",
        DingTalkSignature.signedWebhookUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, SENT));
  }
}
