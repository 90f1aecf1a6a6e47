package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
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
 *
 * <p>微信客服: {@code POST /cgi-bin/kf/sync_msg} pages through the messages queued with {@link #addKfMessage} for an
 * account, {@link #kfPageSize} at a time with {@code has_more}, from a cursor it issued (an unknown cursor is 95011,
 * a callback token it did not issue 95007); {@code POST /cgi-bin/kf/send_msg} checks the access token like
 * message/send and records what it accepted in {@link #kfDelivered}.
 */
final class FakeWeCom {
  /** Every message/send call: its body and the token it came with. */
  record Send(String accessToken, JsonObject body) {
  }

  final List<Send> attempts = new CopyOnWriteArrayList<>();
  final List<Send> delivered = new CopyOnWriteArrayList<>();
  final Queue<Integer> sendErrors = new ConcurrentLinkedQueue<>();
  /** Members WeCom lists as invaliduser (left the organisation, or outside the app's range): nothing reaches them. */
  final java.util.Set<String> invalidUsers = ConcurrentHashMap.newKeySet();
  final AtomicInteger tokensIssued = new AtomicInteger();
  /** One kf/sync_msg call: what it asked for, and the cursor it was given for the next page. */
  record Sync(String openKfId, String cursor, String token, int limit, String nextCursor) {
  }

  final List<Sync> syncs = new CopyOnWriteArrayList<>();
  final List<Send> kfDelivered = new CopyOnWriteArrayList<>();
  final AtomicInteger syncsRunning = new AtomicInteger();
  final AtomicInteger mostSyncsAtOnce = new AtomicInteger();
  volatile int kfPageSize = 1000;
  /** Errcodes kf/send_msg answers with, one per call, before it accepts messages again. */
  final Queue<Integer> kfSendErrors = new ConcurrentLinkedQueue<>();
  /** When set, kf/sync_msg answers only once this completes: a sync stays under way as long as the test wants. */
  volatile io.vertx.core.Future<Void> syncGate;
  private final Map<String, List<JsonObject>> kfMessages = new ConcurrentHashMap<>();
  private final Map<String, Integer> cursors = new ConcurrentHashMap<>();
  private final Set<String> kfTokens = ConcurrentHashMap.newKeySet();

  /** A file {@code GET /cgi-bin/media/get} serves: its bytes and Content-Type, sent with or without a length. */
  record Media(io.vertx.core.buffer.Buffer bytes, String contentType, boolean chunked) {
  }

  final Map<String, Media> media = new ConcurrentHashMap<>();
  /** Media ids WeCom answers with 40007 (invalid media_id), as after their three days. */
  final Set<String> expiredMedia = ConcurrentHashMap.newKeySet();
  /** Errcodes media/get answers with, one per call, before it serves files again. */
  final Queue<Integer> mediaErrors = new ConcurrentLinkedQueue<>();
  final List<String> mediaRequests = new CopyOnWriteArrayList<>();

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
    router.get("/cgi-bin/media/get").handler(this::getMedia);
    router.post("/cgi-bin/kf/sync_msg").handler(BodyHandler.create(false)).handler(this::syncMessages);
    router.post("/cgi-bin/kf/send_msg").handler(BodyHandler.create(false)).handler(this::sendKf);
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

  /** A message WeCom keeps for {@code kf/sync_msg} (its msg_list entry, with open_kfid). */
  void addKfMessage(JsonObject message) {
    kfMessages.computeIfAbsent(message.getString("open_kfid"), k -> new CopyOnWriteArrayList<>()).add(message);
  }

  /** The Token of a new kf_msg_or_event callback, good for kf/sync_msg. */
  String newKfToken() {
    String token = "ENCkf" + (kfTokens.size() + 1) + "x";
    kfTokens.add(token);
    return token;
  }

  /** The callback tokens issued so far stop working, as WeCom's do after about ten minutes. */
  void expireKfTokens() {
    kfTokens.clear();
  }

  List<Send> kfDeliveredTo(String user) {
    return kfDelivered.stream().filter(s -> user.equals(s.body().getString("touser"))).toList();
  }

  private void syncMessages(RoutingContext ctx) {
    int running = syncsRunning.incrementAndGet();
    mostSyncsAtOnce.accumulateAndGet(running, Math::max);
    io.vertx.core.Future<Void> gate = syncGate;
    (gate == null ? io.vertx.core.Future.<Void>succeededFuture() : gate).onComplete(open -> {
      syncsRunning.decrementAndGet();
      answerSync(ctx);
    });
  }

  private void answerSync(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String token = ctx.request().getParam("access_token");
    String openKfId = body.getString("open_kfid", "");
    String cursor = body.getString("cursor", "");
    if (!issued.contains(token)) {
      reply(ctx, new JsonObject().put("errcode", 40014).put("errmsg", "invalid access_token"));
      return;
    }
    // WeCom lets a sync go without the callback's token (at a lower rate); a token given must be valid
    if (body.containsKey("token") && !kfTokens.contains(body.getString("token", ""))) {
      reply(ctx, new JsonObject().put("errcode", 95007).put("errmsg", "invalid msg token"));
      return;
    }
    Integer from = cursor.isEmpty() ? Integer.valueOf(0) : cursors.get(cursor);
    if (from == null) {
      reply(ctx, new JsonObject().put("errcode", 95011).put("errmsg", "invalid cursor"));
      return;
    }
    List<JsonObject> all = kfMessages.getOrDefault(openKfId, List.of());
    int to = Math.min(all.size(), from + Math.min(kfPageSize, body.getInteger("limit", 1000)));
    String next = "cursor-" + (cursors.size() + 1);
    cursors.put(next, to);
    syncs.add(new Sync(openKfId, cursor, body.getString("token"), body.getInteger("limit", 0), next));
    reply(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("next_cursor", next)
        .put("has_more", to < all.size() ? 1 : 0)
        .put("msg_list", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(all.subList(from, to)))));
  }

  private void sendKf(RoutingContext ctx) {
    String token = ctx.request().getParam("access_token");
    Send call = new Send(token, ctx.body().asJsonObject());
    if (!issued.contains(token)) {
      reply(ctx, new JsonObject().put("errcode", 40014).put("errmsg", "invalid access_token"));
    } else if (!kfMessages.containsKey(call.body().getString("open_kfid", ""))) {
      reply(ctx, new JsonObject().put("errcode", 95000).put("errmsg", "invalid open_kfid"));
    } else if (!kfSendErrors.isEmpty()) {
      int errcode = kfSendErrors.poll();
      reply(ctx, new JsonObject().put("errcode", errcode).put("errmsg", errcode == 95018 ? "invalid session status"
          : "api freq out of limit"));
    } else {
      kfDelivered.add(call);
      reply(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok").put("msgid", "kf-" + kfDelivered.size()));
    }
  }

  private void getMedia(RoutingContext ctx) {
    String token = ctx.request().getParam("access_token");
    String id = ctx.request().getParam("media_id", "");
    mediaRequests.add(id);
    Media found = media.get(id);
    if (!issued.contains(token)) {
      reply(ctx, new JsonObject().put("errcode", 40014).put("errmsg", "invalid access_token"));
    } else if (!mediaErrors.isEmpty()) {
      reply(ctx, new JsonObject().put("errcode", mediaErrors.poll()).put("errmsg", "system busy"));
    } else if (found == null || expiredMedia.contains(id)) {
      reply(ctx, new JsonObject().put("errcode", 40007).put("errmsg", "invalid media_id"));
    } else {
      var response = ctx.response().putHeader("Content-Type", found.contentType())
          .putHeader("Content-Disposition", "attachment; filename=\"" + id + "\"");
      if (found.chunked()) {
        response.setChunked(true);
      }
      response.end(found.bytes());
    }
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
    } else if (invalidUsers.contains(call.body().getString("touser"))) {
      // WeCom's own way: errcode 0, and the member named in invaliduser
      reply(ctx, new JsonObject().put("errcode", 0).put("errmsg", "ok")
          .put("invaliduser", call.body().getString("touser")).put("msgid", ""));
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
