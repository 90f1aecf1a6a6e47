package cn.legalkoi.chat;

import cn.legalkoi.web.ClientAddress;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RequestBodies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The web chat's API: {@code POST /api/v1/chat/messages {"text"[, "id"]}} records a message (202; a repeated
 * {@code id} is recognised and not answered twice) and {@code GET /api/v1/chat/messages?after=N[&wait=true]}
 * returns the conversation's new lines, the bot's and later an adviser's; with {@code wait} it holds the request
 * until there are some or {@value #WAIT_SECONDS} s pass, so a page sees replies arrive without polling hard. The owner is an anonymous session: a random token in
 * an HttpOnly cookie that survives closing the tab; only its hash is stored.
 */
public final class WebChatRoutes implements RouteModule {
  static final String COOKIE = "koi_chat";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{32}");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
  private static final int BODY_LIMIT = 4 * 1024;
  private static final int PAGE = 100;
  private static final long COOKIE_SECONDS = 365L * 24 * 3600;
  static final int WAIT_SECONDS = 25;

  private final Vertx vertx;
  private final Conversations conversations;
  private final AddressLimit addresses;
  private final int maxChars;
  private final SecureRandom random = new SecureRandom();

  public WebChatRoutes(Vertx vertx, Conversations conversations, AddressLimit addresses, int maxChars) {
    this.vertx = vertx;
    this.conversations = conversations;
    this.addresses = addresses;
    this.maxChars = maxChars;
  }

  @Override
  public void mount(Router router, WebKit web) {
    // the address limit comes first, as its own route, so a flood is turned away before any body is read
    router.route("/api/v1/chat/messages").handler(this::limitAddress);
    router.post("/api/v1/chat/messages").handler(web.bodyLimit(BODY_LIMIT)).handler(this::post);
    router.get("/api/v1/chat/messages").handler(this::lines);
  }

  private void limitAddress(RoutingContext ctx) {
    String address = ClientAddress.of(ctx);
    long wait = addresses.retryAfterSeconds(address);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Replies.error(ctx, 429, "too_many_requests", "请求太频繁了，请稍后再试");
      return;
    }
    ctx.next();
  }

  private void post(RoutingContext ctx) {
    Optional<JsonObject> body = RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    String text = RequestBodies.string(body.get(), "text");
    if (text == null || text.isBlank()) {
      Replies.badRequest(ctx, "请输入问题");
      return;
    }
    if (text.codePointCount(0, text.length()) > maxChars) {
      Replies.badRequest(ctx, "问题太长了，请控制在 " + maxChars + " 字以内");
      return;
    }
    String clientId = RequestBodies.string(body.get(), "id");
    if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
      Replies.badRequest(ctx, "id 格式不正确");
      return;
    }
    String user = owner(ctx);
    String messageId = user + "/" + (clientId != null ? clientId : UUID.randomUUID().toString());
    InboundMessage message = new InboundMessage(Channel.WEB, messageId, user, user, InboundMessage.TEXT,
        text.strip(), null, new JsonObject());
    conversations.receive(message).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else {
        Replies.json(ctx, 202, new JsonObject().put("accepted", true).put("duplicate", !result.result()));
      }
    });
  }

  private void lines(RoutingContext ctx) {
    long after;
    try {
      String param = ctx.request().getParam("after");
      after = param == null ? 0 : Long.parseLong(param.strip());
    } catch (NumberFormatException e) {
      after = -1;
    }
    if (after < 0) {
      Replies.badRequest(ctx, "after 应为非负整数");
      return;
    }
    String owner = owner(ctx);
    long from = after;
    boolean wait = "true".equals(ctx.request().getParam("wait"));
    conversations.transcript(Channel.WEB, owner, from, PAGE).compose(lines -> !wait || !lines.isEmpty()
        ? Future.succeededFuture(lines) : nextLines(owner, from)).onComplete(result -> {
          if (result.failed()) {
            ctx.fail(result.cause());
            return;
          }
          JsonArray out = new JsonArray();
          result.result().forEach(line -> out.add(line.toJson()));
          ctx.response().putHeader("Cache-Control", "no-store");
          Replies.json(ctx, 200, new JsonObject().put("messages", out));
        });
  }

  /** The lines after {@code after} once the conversation has new ones, or none after the wait. */
  private Future<List<Conversations.Line>> nextLines(String owner, long after) {
    Promise<List<Conversations.Line>> next = Promise.promise();
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Conversations.linesAddress(Channel.WEB, owner));
    long timer = vertx.setTimer(WAIT_SECONDS * 1000L, t -> next.tryComplete(List.of()));
    consumer.handler(m -> conversations.transcript(Channel.WEB, owner, after, PAGE).onComplete(r -> {
      if (r.failed()) {
        next.tryFail(r.cause());
      } else if (!r.result().isEmpty()) {
        next.tryComplete(r.result());
      }
    }));
    return next.future().onComplete(r -> {
      vertx.cancelTimer(timer);
      consumer.unregister();
    });
  }

  /** The session's owner id (a hash of the cookie's token); a browser without a valid cookie gets a new one. */
  private String owner(RoutingContext ctx) {
    String known = ctx.get(COOKIE);
    if (known != null) {
      return known;
    }
    Cookie cookie = ctx.request().getCookie(COOKIE);
    String token = cookie == null ? null : cookie.getValue();
    if (token == null || !TOKEN.matcher(token).matches()) {
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      ctx.response().addCookie(Cookie.cookie(COOKIE, token).setHttpOnly(true).setPath("/")
          .setSameSite(CookieSameSite.LAX).setMaxAge(COOKIE_SECONDS)
          .setSecure(ClientAddress.https(ctx)));
    }
    String owner = "web-" + Digests.sha256Hex(Digests.utf8(token)).substring(0, 32);
    ctx.put(COOKIE, owner);
    return owner;
  }
}
