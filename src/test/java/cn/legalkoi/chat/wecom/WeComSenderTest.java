package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.Outgoing;
import cn.legalkoi.config.ChannelsConfig;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The WeCom sender against a fake WeCom on loopback: tokens, WeCom's errcodes inside HTTP 200, timeouts. */
class WeComSenderTest {
  static final String CORP_ID = "wwkoisender01";
  static final String SECRET = "sender-secret-never-in-a-message";
  static final int AGENT_ID = 1000002;

  Vertx vertx;
  WebClient client;
  FakeWeCom wecom;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    client = WebClient.create(vertx);
    wecom = FakeWeCom.start(vertx, CORP_ID, SECRET);
  }

  @AfterEach
  void stop() throws Exception {
    wecom.close();
    client.close();
    await(vertx.close());
  }

  private WeComSender sender(String secret, Duration timeout) {
    return new WeComSender(client, new ChannelsConfig.WeCom("token", "k".repeat(43), CORP_ID, AGENT_ID, secret,
        wecom.apiBase() + "/"), timeout, Clock.systemUTC());
  }

  private WeComSender sender() {
    return sender(SECRET, Duration.ofSeconds(10));
  }

  private static Outgoing reply(String toUser, String text) {
    return new Outgoing(1, 1, Channel.WECOM, toUser, new JsonObject().put("toUser", toUser), text, 0, 0);
  }

  /** The failure of a send that must fail. */
  private static Throwable failure(Future<Void> send) throws Exception {
    try {
      await(send);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the send succeeded");
  }

  @Test
  @DisplayName("a reply goes out as a text message of the configured agent, and the token is fetched once for many")
  void sendsWithOneToken() throws Exception {
    WeComSender sender = sender();
    await(Future.all(sender.send(reply("zhangsan", "您好。")), sender.send(reply("lisi", "再见。"))));
    await(sender.send(reply("zhangsan", "第三条。")));
    assertEquals(1, wecom.tokensIssued.get());
    assertEquals(3, wecom.delivered.size());
    JsonObject first = wecom.deliveredTo("zhangsan").get(0).body();
    assertEquals(new JsonObject().put("touser", "zhangsan").put("msgtype", "text").put("agentid", AGENT_ID)
        .put("text", new JsonObject().put("content", "您好。")), first);
  }

  @Test
  @DisplayName("an expired token (42001) is replaced and the reply delivered once")
  void refreshesAnExpiredToken() throws Exception {
    WeComSender sender = sender();
    await(sender.send(reply("zhangsan", "一")));
    wecom.expireIssuedTokens();
    await(sender.send(reply("zhangsan", "二")));
    assertEquals(2, wecom.tokensIssued.get());
    assertEquals(List.of("token-1", "token-1", "token-2"), wecom.attempts.stream().map(FakeWeCom.Send::accessToken)
        .toList());
    assertEquals(2, wecom.delivered.size());
  }

  @Test
  @DisplayName("a token WeCom rejects twice running fails the send after one refresh, naming 42001")
  void refreshesOnlyOnce() throws Exception {
    wecom.sendErrors.add(42001);
    wecom.sendErrors.add(42001);
    Throwable e = failure(sender().send(reply("zhangsan", "一")));
    WeComApiException api = assertInstanceOf(WeComApiException.class, e);
    assertEquals(42001, api.errcode());
    assertEquals(2, wecom.attempts.size());
    assertEquals(2, wecom.tokensIssued.get());
    assertEquals(List.of(), wecom.delivered);
  }

  @Test
  @DisplayName("any other non-zero errcode inside an HTTP 200 fails the send with errcode and errmsg")
  void errcodeIsAFailure() throws Exception {
    wecom.sendErrors.add(45009);
    Throwable e = failure(sender().send(reply("zhangsan", "一")));
    assertEquals("WeCom message/send errcode 45009: api freq out of limit", e.getMessage());
    assertEquals(1, wecom.tokensIssued.get(), "a rate limit does not cost a token");
  }

  @Test
  @DisplayName("errcode 0 naming the member in invaliduser is a failure that is not retried: the reply never arrived")
  void invalidUserIsAFailure() throws Exception {
    wecom.invalidUsers.add("leftthecompany");
    Throwable e = failure(sender().send(reply("leftthecompany", "一")));
    assertTrue(e instanceof cn.legalkoi.chat.ChannelSender.PermanentFailure, e.toString());
    assertTrue(e.getMessage().contains("invaliduser"), e.getMessage());
    assertTrue(wecom.delivered.isEmpty());
  }

  @Test
  @DisplayName("a wrong secret fails with gettoken's errcode, and the message does not contain the secret")
  void wrongSecret() throws Exception {
    Throwable e = failure(sender("a-wrong-secret", Duration.ofSeconds(10)).send(reply("zhangsan", "一")));
    assertEquals("WeCom gettoken errcode 40001: invalid credential", e.getMessage());
    assertEquals(List.of(), wecom.attempts);
  }

  @Test
  @DisplayName("a platform that does not answer fails the send at the timeout, without the token in the message")
  void timeout() throws Exception {
    wecom.silent = true;
    Throwable e = failure(sender(SECRET, Duration.ofMillis(300)).send(reply("zhangsan", "一")));
    assertTrue(e.getMessage().startsWith("WeCom message/send request failed"), e.getMessage());
    assertFalse(e.getMessage().contains("token-1"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }
}
