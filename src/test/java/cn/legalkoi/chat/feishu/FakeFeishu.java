package cn.legalkoi.chat.feishu;

import static cn.legalkoi.testing.TestService.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * open.feishu.cn on loopback, as far as the bot uses it: tenant tokens for the right app id and secret, the bot's
 * own open_id, and replies, each recorded. It refuses a reply with a token it did not issue or has revoked (HTTP 400,
 * code 99991663, as Feishu does), and can be told to fail the next replies with a non-zero code inside an HTTP 200.
 */
final class FakeFeishu {
  static final String APP_ID = "cli_test0000000001";
  static final String APP_SECRET = "app-secret-never-logged";
  static final String BOT_OPEN_ID = "ou_bot0000000000000000000000000001";

  /** One reply request as Feishu received it. */
  record ReplyRequest(String messageId, String authorization, JsonObject body, boolean accepted) {
    String text() {
      return new JsonObject(body.getString("content")).getString("text");
    }
  }

  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger tokenRequests = new AtomicInteger();
  final AtomicInteger botInfoRequests = new AtomicInteger();
  final List<ReplyRequest> replyAttempts = new CopyOnWriteArrayList<>();
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failingReplies = new AtomicInteger();
  private volatile long replyDelayMs;
  private HttpServer server;

  static FakeFeishu start(Vertx vertx) throws Exception {
    FakeFeishu fake = new FakeFeishu();
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      fake.requests.incrementAndGet();
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false));
    router.post(FeishuApi.TOKEN_PATH).handler(fake::token);
    router.get(FeishuApi.BOT_INFO_PATH).handler(fake::botInfo);
    router.post("/open-apis/im/v1/messages/:messageId/reply").handler(fake::reply);
    fake.server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    return fake;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The replies Feishu accepted (and so showed in the chat). */
  List<ReplyRequest> replies() {
    return replyAttempts.stream().filter(ReplyRequest::accepted).toList();
  }

  /** The next {@code n} replies get HTTP 200 with code 230020 (Feishu's rate limit). */
  void failNextReplies(int n) {
    failingReplies.set(n);
  }

  /** Each accepted reply is answered only after {@code ms}, as a slow platform would. */
  void delayReplies(long ms) {
    replyDelayMs = ms;
  }

  /** Every token issued so far stops working, as after Feishu revokes or expires it early. */
  void revokeTokens() {
    validTokens.clear();
  }

  private void token(RoutingContext ctx) {
    tokenRequests.incrementAndGet();
    JsonObject body = ctx.body().asJsonObject();
    if (!APP_ID.equals(body.getString("app_id")) || !APP_SECRET.equals(body.getString("app_secret"))) {
      answer(ctx, 200, new JsonObject().put("code", 10014).put("msg", "app secret invalid"));
      return;
    }
    String token = "t-" + tokenRequests.get();
    validTokens.add(token);
    answer(ctx, 200, new JsonObject().put("code", 0).put("msg", "ok").put("tenant_access_token", token)
        .put("expire", 7200));
  }

  private void botInfo(RoutingContext ctx) {
    botInfoRequests.incrementAndGet();
    if (!authorised(ctx)) {
      return;
    }
    answer(ctx, 200, new JsonObject().put("code", 0).put("msg", "ok").put("bot", new JsonObject()
        .put("activate_status", 2).put("app_name", "法治锦鲤").put("open_id", BOT_OPEN_ID)));
  }

  private void reply(RoutingContext ctx) {
    String messageId = ctx.pathParam("messageId");
    String authorization = ctx.request().getHeader("Authorization");
    JsonObject body = ctx.body().asJsonObject();
    if (!authorised(ctx)) {
      replyAttempts.add(new ReplyRequest(messageId, authorization, body, false));
      return;
    }
    if (failingReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      replyAttempts.add(new ReplyRequest(messageId, authorization, body, false));
      answer(ctx, 200, new JsonObject().put("code", 230020).put("msg", "This operation triggers the frequency limit."));
      return;
    }
    replyAttempts.add(new ReplyRequest(messageId, authorization, body, true));
    JsonObject accepted = new JsonObject().put("code", 0).put("msg", "success")
        .put("data", new JsonObject().put("message_id", "om_reply_" + replyAttempts.size()));
    if (replyDelayMs > 0) {
      ctx.vertx().setTimer(replyDelayMs, t -> answer(ctx, 200, accepted));
    } else {
      answer(ctx, 200, accepted);
    }
  }

  private boolean authorised(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null) {
      answer(ctx, 400, new JsonObject().put("code", 99991661).put("msg", "Missing access token for authorization."));
      return false;
    }
    if (!authorization.startsWith("Bearer ") || !validTokens.contains(authorization.substring(7))) {
      answer(ctx, 400, new JsonObject().put("code", 99991663).put("msg", "Invalid access token for authorization."));
      return false;
    }
    return true;
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
