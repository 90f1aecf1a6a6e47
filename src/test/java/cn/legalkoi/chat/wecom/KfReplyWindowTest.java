package cn.legalkoi.chat.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KfReplyWindowTest {
  static final long WROTE = 1_700_000_000_000L;
  static final long HOURS_48 = Duration.ofHours(48).toMillis();

  @Test
  @DisplayName("five replies within 48 hours of the customer's last message; a sixth or a later one is refused")
  void fiveWithinFortyEightHours() {
    assertEquals(Optional.empty(), KfReplyWindow.refusal(WROTE, 0, WROTE));
    assertEquals(Optional.empty(), KfReplyWindow.refusal(WROTE, 4, WROTE + HOURS_48));
    assertTrue(KfReplyWindow.refusal(WROTE, 5, WROTE + 1).orElseThrow().contains("reply limit reached"));
    assertTrue(KfReplyWindow.refusal(WROTE, 0, WROTE + HOURS_48 + 1).orElseThrow().contains("window closed"));
  }
}
