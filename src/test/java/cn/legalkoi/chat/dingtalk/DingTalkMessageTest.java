package cn.legalkoi.chat.dingtalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.config.ChannelsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reading robot messages, and which session webhooks are trusted. */
class DingTalkMessageTest {
  private static JsonObject message() {
    return new JsonObject().put("msgtype", "text").put("text", new JsonObject().put("content", "  试用期要交社保吗 "))
        .put("msgId", "msgA1").put("conversationType", "1").put("conversationId", "cidP2p")
        .put("senderId", "$:LWCP_v1:$abc").put("senderStaffId", "staff01").put("senderNick", "李四")
        .put("sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=s")
        .put("sessionWebhookExpiredTime", 1_700_000_000_000L);
  }

  @Test
  @DisplayName("a one-to-one text is the staff member's own conversation, with everything a reply needs")
  void oneToOneText() {
    InboundMessage m = DingTalkMessage.toInbound(message());
    assertEquals(Channel.DINGTALK, m.channel());
    assertEquals("msgA1", m.messageId());
    assertEquals("staff01", m.userId());
    assertEquals("staff01", m.conversationKey());
    assertEquals("试用期要交社保吗", m.text());
    assertTrue(m.isText());
    assertEquals(new JsonObject().put("sessionWebhook", "https://oapi.dingtalk.com/robot/sendBySession?session=s")
        .put("sessionWebhookExpiredTime", 1_700_000_000_000L).put("conversationType", "1")
        .put("openConversationId", "cidP2p").put("staffId", "staff01").put("senderNick", "李四"), m.target());
  }

  @Test
  @DisplayName("in a group the conversation is the group's; without a staff id the sender id names the asker")
  void groupWithoutStaffId() {
    JsonObject json = message().put("conversationType", "2").put("conversationId", "cidGroup");
    json.remove("senderStaffId");
    InboundMessage m = DingTalkMessage.toInbound(json);
    assertEquals("$:LWCP_v1:$abc", m.userId());
    assertEquals("cidGroup", m.conversationKey());
    assertEquals("", m.target().getString("staffId"));
  }

  @Test
  @DisplayName("a picture keeps its type and download code for the polite notice and the adviser")
  void picture() {
    JsonObject json = message().put("msgtype", "picture").put("content", new JsonObject().put("downloadCode", "dc1"));
    json.remove("text");
    InboundMessage m = DingTalkMessage.toInbound(json);
    assertFalse(m.isText());
    assertEquals("picture", m.type());
    assertEquals("dc1", m.mediaId());
    assertEquals("", m.text());
  }

  @Test
  @DisplayName("a message without its id, sender or a known conversation type is refused")
  void refused() {
    assertThrows(IllegalArgumentException.class, () -> DingTalkMessage.toInbound(message().put("msgId", "")));
    assertThrows(IllegalArgumentException.class, () -> DingTalkMessage.toInbound(message().put("conversationType",
        "3")));
    JsonObject noSender = message();
    noSender.remove("senderStaffId");
    noSender.remove("senderId");
    assertThrows(IllegalArgumentException.class, () -> DingTalkMessage.toInbound(noSender));
    assertThrows(IllegalArgumentException.class, () -> DingTalkMessage.parse("[1]"));
    assertThrows(IllegalArgumentException.class, () -> DingTalkMessage.toInbound(message().put("text", "x")));
  }

  @Test
  @DisplayName("a session webhook is trusted only on a listed host, and on a listed port when one is given")
  void trustedWebhookHosts() {
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = WebClient.create(vertx);
      ChannelsConfig.DingTalk config = new ChannelsConfig.DingTalk("stream", "k", "s", "", "https://api.dingtalk.com",
          List.of("oapi.dingtalk.com", "127.0.0.1:9000"));
      DingTalkSender sender = new DingTalkSender(client, new DingTalkApi(client, config, Duration.ofSeconds(1),
          Clock.systemUTC()), config, Duration.ofSeconds(1), Clock.systemUTC());
      assertTrue(sender.isTrusted("https://oapi.dingtalk.com/robot/sendBySession?session=s"));
      assertTrue(sender.isTrusted("https://OAPI.dingtalk.com:443/robot/sendBySession?session=s"));
      assertTrue(sender.isTrusted("http://127.0.0.1:9000/session/x"));
      assertFalse(sender.isTrusted("https://oapi.dingtalk.com:8443/robot/sendBySession"), "another port");
      assertFalse(sender.isTrusted("http://127.0.0.1:9001/session/x"), "another port");
      assertFalse(sender.isTrusted("https://oapi.dingtalk.com.evil.example/robot"), "a longer host");
      assertFalse(sender.isTrusted("https://evil.example@oapi.dingtalk.com/robot"), "user info");
      assertFalse(sender.isTrusted("file:///etc/passwd"));
      assertFalse(sender.isTrusted("not a url"));
    } finally {
      vertx.close();
    }
  }
}
