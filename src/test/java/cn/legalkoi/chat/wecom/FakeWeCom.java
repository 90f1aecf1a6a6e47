package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WeCom's API on loopback, as the service sees it: {@code GET /cgi-bin/gettoken} issues tokens {@code token-1},
 * {@code token-2} … for the right corpid and corpsecret (40001 otherwise), and {@code POST /cgi-bin/message/send}
 * refuses unknown tokens (40014) and expired ones (42001), fails with the errcodes queued in {@link #sendErrors}
 * (all inside HTTP 200, as WeCom does), and records what it accepted.
 */
final class FakeWeCom {
  /** Every message/send call: its body and the token it came with. */
  record Send(String accessToken, JsonObject body) {
  }

  final List<Send> attempts = new CopyOnWriteArrayList<>();
  final List<Send> delivered = new CopyOnWriteArrayList<>();
  final Queue<Integer> sendErrors = new ConcurrentLinkedQueue<>();
  final AtomicInteger tokensIssued = new AtomicInteger();
  /** When set, message/send never answers: the sender's timeout must end the call. */
  volatile boolean silent;

  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final Set<String> expired = ConcurrentHashMap.newKeySet();
  private final String corpId;
  private final String secret;
  private final HttpServer server;

  private FakeWeCom(Vertx vertx, String corpId, String secret) throws Exception {
    this.corpId = corpId;
    this.secret = secret;
    Router router = Router.router(vertx);
    router.get("/cgi-bin/gettoken").handler(this::getToken);
    router.post("/cgi-bin/message/send").handler(BodyHandler.create(false)).handler(this::send);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  static FakeWeCom start(Vertx vertx, String corpId, String secret) throws Exception {
    return new FakeWeCom(vertx, corpId, secret);
  }

  String apiBase() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Every token issued so far expires, as WeCom's do after two hours. */
  void expireIssuedTokens() {
    expired.addAll(issued);
  }

  List<Send> deliveredTo(String user) {
    return delivered.stream().filter(s -> user.equals(s.body().getString("touser"))).toList();
  }

  private void getToken(RoutingContext ctx) {
    if (!corpId.equals(ctx.request().getParam("corpid")) || !secret.equals(ctx.request().getParam("corpsecret"))) {
      reply(ctx, new JsonObject().put("errcode", 40001).put("errmsg", "invalid credential"));
      return;
    }
    String token = "token-" + tokensIssued.incrementAndGet();
    issued.add(token);
    reply(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("access_token", token)
        .put("expires_in", 7200));
  }

  private void send(RoutingContext ctx) {
    String token = ctx.request().getParam("access_token");
    Send call = new Send(token, ctx.body().asJsonObject());
    attempts.add(call);
    if (silent) {
      return;
    }
    if (!issued.contains(token)) {
      reply(ctx, new JsonObject().put("errcode", 40014).put("errmsg", "invalid access_token"));
    } else if (expired.contains(token)) {
      reply(ctx, new JsonObject().put("errcode", 42001).put("errmsg", "access_token expired"));
    } else if (!sendErrors.isEmpty()) {
      int errcode = sendErrors.poll();
      reply(ctx, new JsonObject().put("errcode", errcode).put("errmsg", errcode == 42001 ? "access_token expired"
          : "api freq out of limit"));
    } else {
      delivered.add(call);
      reply(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("invaliduser", "")
          .put("msgid", "fake-" + delivered.size()));
    }
  }

  private static void reply(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8").end(body.encode());
  }

  void close() throws Exception {
    await(server.close());
  }
}
