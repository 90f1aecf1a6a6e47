package cn.legalkoi.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The outbox's per-conversation sending limits, with times the test gives. */
class SendPaceTest {
  @Test
  @DisplayName("conversations whose window has passed are forgotten, so the counts do not grow with every owner ever"
      + " written to")
  void forgetsConversationsWhoseWindowPassed() {
    SendPace pace = SendPace.published();
    for (long conversation = 1; conversation <= 10_001; conversation++) {
      assertTrue(pace.take(Channel.WECOM, conversation, 0));
    }
    assertTrue(pace.take(Channel.WECOM, 20_000, 60_001));
    assertEquals(1, pace.tracked(), "only the conversation written to within the last minute");
  }

  @Test
  @DisplayName("forgetting old conversations keeps the limit of those still within their window")
  void keepsLiveWindows() {
    SendPace pace = SendPace.published();
    for (int i = 0; i < 30; i++) {
      assertTrue(pace.take(Channel.WECOM, 1, 59_000));
    }
    for (long conversation = 2; conversation <= 10_002; conversation++) {
      pace.take(Channel.WECOM, conversation, 0);
    }
    assertTrue(pace.take(Channel.WECOM, 20_000, 60_001));
    assertEquals(false, pace.take(Channel.WECOM, 1, 60_002), "still 30 within its minute");
  }
}
