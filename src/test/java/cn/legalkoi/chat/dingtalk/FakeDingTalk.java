package cn.legalkoi.chat.dingtalk;

import static cn.legalkoi.testing.TestService.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DingTalk on loopback, as far as the robot uses it: stream tickets and the WebSocket they open (each ticket good for
 * one connection), access tokens for the right app key and secret, the robot OpenAPI sends, and session webhooks
 * under {@code /session/…}; every request, frame and send is recorded. A session webhook can be told to refuse the
 * next posts with a non-zero errcode inside an HTTP 200, as DingTalk does.
 */
public final class FakeDingTalk {
  public static final String APP_KEY = "dingtestappkey0001";
  public static final String APP_SECRET = "dingtalk-app-secret-never-logged";
  public static final String ROBOT_CODE = "dingrobotcode0001";

  /** One post to a session webhook or an OpenAPI send, as DingTalk received it. */
  public record Sent(String path, String accessToken, JsonObject body, boolean accepted) {
  }

  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger connectionOpens = new AtomicInteger();
  final AtomicInteger tokenRequests = new AtomicInteger();
  /** Sockets opened with a valid ticket, oldest first. */
  final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
  /** Frames the service wrote on any socket. */
  final List<JsonObject> received = new CopyOnWriteArrayList<>();
  public final List<Sent> webhookPosts = new CopyOnWriteArrayList<>();
  final List<Sent> apiSends = new CopyOnWriteArrayList<>();
  private final Set<String> tickets = ConcurrentHashMap.newKeySet();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failingWebhookPosts = new AtomicInteger();
  /** Sockets whose incoming frames are lost, as when the link is already broken on DingTalk's side. */
  private final Set<ServerWebSocket> deaf = ConcurrentHashMap.newKeySet();
  /** Frame messageIds whose answer, once it arrives, is the last thing the link carries. */
  private final Set<String> cutAfterAnswer = ConcurrentHashMap.newKeySet();
  private HttpServer server;

  public static FakeDingTalk start(Vertx vertx) throws Exception {
    FakeDingTalk fake = new FakeDingTalk();
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      fake.requests.incrementAndGet();
      ctx.next();
    });
    router.route().handler(BodyHandler.create(false));
    router.post(DingTalkApi.OPEN_CONNECTION_PATH).handler(fake::openConnection);
    router.post(DingTalkApi.TOKEN_PATH).handler(fake::accessToken);
    router.post(DingTalkSender.ONE_TO_ONE_PATH).handler(fake::robotSend);
    router.post(DingTalkSender.GROUP_PATH).handler(fake::robotSend);
    router.post("/session/:id").handler(fake::sessionWebhook);
    fake.server = await(vertx.createHttpServer().webSocketHandshakeHandler(fake::handshake)
        .webSocketHandler(fake::connected).requestHandler(router)
        .listen(0, "127.0.0.1"));
    return fake;
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** A session webhook on this fake, at 127.0.0.1 (listed in the test's sessionWebhookHosts). */
  public String sessionWebhook(String session) {
    return url() + "/session/" + session;
  }

  public List<Sent> acceptedWebhookPosts() {
    return webhookPosts.stream().filter(Sent::accepted).toList();
  }

  /** Every access token issued so far stops working, as when DingTalk expires one early. */
  void revokeTokens() {
    tokens.clear();
  }

  void failNextWebhookPosts(int n) {
    failingWebhookPosts.set(n);
  }

  /** Writes a frame on the newest socket. */
  void push(JsonObject frame) {
    sockets.get(sockets.size() - 1).writeTextMessage(frame.encode());
  }

  /** From now on nothing the service writes on the newest socket reaches DingTalk (an answer is lost on the way). */
  void deafenNewest() {
    deaf.add(sockets.get(sockets.size() - 1));
  }

  /** Closes the socket that carries the answer to frame {@code messageId} as soon as that answer arrives. */
  void cutAfterAnswerTo(String messageId) {
    cutAfterAnswer.add(messageId);
  }

  /** Every answer to the frame with this messageId that reached DingTalk, on any socket. */
  List<JsonObject> answersTo(String messageId) {
    return received.stream().filter(f -> f.getJsonObject("headers", new JsonObject()).getString("messageId", "")
        .equals(messageId)).toList();
  }

  /** The service's answer to the frame with this messageId, or null while there is none. */
  JsonObject answerTo(String messageId) {
    return received.stream().filter(f -> f.getJsonObject("headers", new JsonObject()).getString("messageId", "")
        .equals(messageId)).findFirst().orElse(null);
  }

  /** A socket opens only on {@code /connect} with a ticket issued and not used yet. */
  private void handshake(ServerWebSocketHandshake handshake) {
    String query = handshake.query() == null ? "" : handshake.query();
    String ticket = query.startsWith("ticket=") ? URLDecoder.decode(query.substring(7), StandardCharsets.UTF_8) : "";
    if ("/connect".equals(handshake.path()) && tickets.remove(ticket)) {
      handshake.accept();
    } else {
      handshake.reject(401);
    }
  }

  private void connected(ServerWebSocket ws) {
    ws.textMessageHandler(text -> {
      if (deaf.contains(ws)) {
        return;
      }
      JsonObject frame = new JsonObject(text);
      received.add(frame);
      if (cutAfterAnswer.remove(frame.getJsonObject("headers", new JsonObject()).getString("messageId", ""))) {
        ws.close();
      }
    });
    sockets.add(ws);
  }

  private void openConnection(RoutingContext ctx) {
    connectionOpens.incrementAndGet();
    JsonObject body = ctx.body().asJsonObject();
    JsonArray subscriptions = body.getJsonArray("subscriptions", new JsonArray());
    if (!APP_KEY.equals(body.getString("clientId")) || !APP_SECRET.equals(body.getString("clientSecret"))
        || subscriptions.isEmpty() || !DingTalkApi.BOT_TOPIC.equals(subscriptions.getJsonObject(0).getString("topic"))) {
      answer(ctx, 401, new JsonObject().put("code", "InvalidAuthentication").put("message", "bad client"));
      return;
    }
    String ticket = "ticket-" + connectionOpens.get() + "+/=";
    tickets.add(ticket);
    answer(ctx, 200, new JsonObject().put("endpoint", "ws://127.0.0.1:" + port() + "/connect")
        .put("ticket", ticket));
  }

  private void accessToken(RoutingContext ctx) {
    tokenRequests.incrementAndGet();
    JsonObject body = ctx.body().asJsonObject();
    if (!APP_KEY.equals(body.getString("appKey")) || !APP_SECRET.equals(body.getString("appSecret"))) {
      answer(ctx, 400, new JsonObject().put("code", "invalidClientIdOrSecret").put("message", "bad app"));
      return;
    }
    String token = "at-" + tokenRequests.get();
    tokens.add(token);
    answer(ctx, 200, new JsonObject().put("accessToken", token).put("expireIn", 7200));
  }

  private void robotSend(RoutingContext ctx) {
    String token = ctx.request().getHeader(DingTalkApi.TOKEN_HEADER);
    JsonObject body = ctx.body().asJsonObject();
    if (token == null || !tokens.contains(token)) {
      apiSends.add(new Sent(ctx.request().path(), token, body, false));
      answer(ctx, 401, new JsonObject().put("code", "InvalidAuthentication").put("message", "bad token"));
      return;
    }
    apiSends.add(new Sent(ctx.request().path(), token, body, true));
    answer(ctx, 200, ctx.request().path().equals(DingTalkSender.GROUP_PATH)
        ? new JsonObject().put("processQueryKey", "pqk-" + apiSends.size())
        : new JsonObject().put("processQueryKey", "pqk-" + apiSends.size())
            .put("invalidStaffIdList", new JsonArray()).put("flowControlledStaffIdList", new JsonArray()));
  }

  private void sessionWebhook(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    if (failingWebhookPosts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      webhookPosts.add(new Sent(ctx.request().path(), null, body, false));
      answer(ctx, 200, new JsonObject().put("errcode", 130101).put("errmsg", "send too fast"));
      return;
    }
    webhookPosts.add(new Sent(ctx.request().path(), null, body, true));
    answer(ctx, 200, new JsonObject().put("errcode", 0).put("errmsg", "ok"));
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
