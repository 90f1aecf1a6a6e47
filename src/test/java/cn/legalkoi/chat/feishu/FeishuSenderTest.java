package cn.legalkoi.chat.feishu;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.Outgoing;
import cn.legalkoi.config.ChannelsConfig;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** FeishuSender and its token handling against the fake Feishu. */
class FeishuSenderTest {
  Vertx vertx;
  FakeFeishu feishu;
  FeishuApi api;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    feishu = FakeFeishu.start(vertx);
    api = api(FakeFeishu.APP_SECRET);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    await(vertx.close());
  }

  private FeishuApi api(String secret) {
    return new FeishuApi(vertx, new ChannelsConfig.Feishu(FakeFeishu.APP_ID, secret, "vt", "", feishu.url()),
        Clock.systemUTC());
  }

  private static Outgoing reply(long id, String chatType, String text) {
    return new Outgoing(id, 1, Channel.FEISHU, "ou_asker1", FeishuTarget.of("om_question" + id, chatType, "ou_asker1"),
        text, 0, 1_700_000_000_000L);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    return await(future.transform(r -> Future.succeededFuture(r.cause())));
  }

  @Test
  @DisplayName("one token serves several replies; each is a text reply to the owner's message")
  void tokenIsCached() throws Exception {
    FeishuSender sender = new FeishuSender(api);
    await(Future.all(sender.send(reply(1, "p2p", "第一条")), sender.send(reply(2, "p2p", "第二条"))));
    await(sender.send(reply(3, "group", "第三条")));
    assertEquals(1, feishu.tokenRequests.get());
    assertEquals(3, feishu.replies().size());
    FakeFeishu.ReplyRequest third = feishu.replies().get(2);
    assertEquals("om_question3", third.messageId());
    assertEquals("<at user_id=\"ou_asker1\"></at> 第三条", third.text());
    assertEquals("koi-3-1700000000000", third.body().getString("uuid"));
  }

  @Test
  @DisplayName("a reply refused for its token (99991663) fetches a fresh token once and goes through")
  void refusedTokenIsRenewedOnce() throws Exception {
    FeishuSender sender = new FeishuSender(api);
    await(sender.send(reply(1, "p2p", "前")));
    feishu.revokeTokens();
    await(sender.send(reply(2, "p2p", "后")));
    assertEquals(2, feishu.tokenRequests.get());
    assertEquals("Bearer t-2", feishu.replies().get(1).authorization());
    assertEquals(3, feishu.replyAttempts.size(), "one refused attempt, then the retry");
  }

  @Test
  @DisplayName("a non-zero code in an HTTP 200 fails the send with the code and message, not the token")
  void nonZeroCodeFails() throws Exception {
    feishu.failNextReplies(1);
    Throwable e = failure(new FeishuSender(api).send(reply(1, "p2p", "回复")));
    assertTrue(e instanceof FeishuApiException, String.valueOf(e));
    assertEquals(230020, ((FeishuApiException) e).code());
    assertTrue(e.getMessage().contains("230020") && e.getMessage().contains("frequency limit"), e.getMessage());
    assertFalse(e.getMessage().contains("t-1"), e.getMessage());
  }

  @Test
  @DisplayName("a refused app secret fails the send without naming the secret, and no reply is attempted")
  void wrongSecretFails() throws Exception {
    FeishuApi wrong = api("not-the-secret");
    try {
      Throwable e = failure(new FeishuSender(wrong).send(reply(1, "p2p", "回复")));
      assertTrue(e.getMessage().contains("10014"), e.getMessage());
      assertFalse(e.getMessage().contains("not-the-secret"), e.getMessage());
      assertEquals(0, feishu.replyAttempts.size());
    } finally {
      wrong.close();
    }
  }

  @Test
  @DisplayName("the bot's open_id is asked once and remembered")
  void botOpenIdRemembered() throws Exception {
    assertEquals(FakeFeishu.BOT_OPEN_ID, await(api.botOpenId()));
    assertEquals(FakeFeishu.BOT_OPEN_ID, await(api.botOpenId()));
    assertEquals(1, feishu.botInfoRequests.get());
  }
}
