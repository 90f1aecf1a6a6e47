package cn.legalkoi.chat.feishu;

import cn.legalkoi.chat.Conversations;
import cn.legalkoi.chat.Digests;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.chat.PlatformCryptoException;
import cn.legalkoi.config.ChannelsConfig;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feishu's event subscription v2 in HTTP mode, {@code POST /webhooks/feishu}.
 *
 * <p>With an Encrypt Key, an event is accepted only with a valid {@code X-Lark-Signature} over the raw body, checked
 * before anything is parsed or decrypted. The one exception is the {@code url_verification} challenge, which Feishu
 * does not sign: an unsigned body is decrypted only to see whether it is that challenge, which is answered when it
 * carries the Verification Token and refused otherwise. Every event's token ({@code header.token}) must match too.
 *
 * <p>A message to the bot (one-to-one, or in a group where it is @-mentioned) is recorded with its event id before
 * the 200 goes back, so Feishu's retry of an acknowledged event is recognised and an unacknowledged one is retried
 * by Feishu; the answer follows through the outbox. Other events are acknowledged and ignored.
 */
public final class FeishuRoutes implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(FeishuRoutes.class);
  static final String PATH = "/webhooks/feishu";
  private static final int BODY_LIMIT = 64 * 1024;
  /** Feishu waits 3 s for the acknowledgement, so the bot's own id may take at most this long to learn. */
  private static final long BOT_LOOKUP_MS = 1_500;
  private static final String URL_VERIFICATION = "url_verification";
  private static final String SIGNATURE = "feishu.signature";
  private static final String ENVELOPE = "feishu.envelope";

  private enum Signature { NOT_USED, VALID, MISSING, BAD }

  private final Conversations conversations;
  private final FeishuApi api;
  private final String verificationToken;
  private final FeishuCrypto crypto;

  public FeishuRoutes(Conversations conversations, FeishuApi api, ChannelsConfig.Feishu config) {
    this.conversations = conversations;
    this.api = api;
    this.verificationToken = config.verificationToken();
    this.crypto = config.encryptKey().isEmpty() ? null : new FeishuCrypto(config.encryptKey());
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.post(PATH).handler(web.bodyLimit(BODY_LIMIT))
        .handler(this::checkSignature)
        .handler(this::openEnvelope)
        .handler(this::checkToken)
        .handler(this::act)
        .failureHandler(ctx -> {
          // a body over the limit (413) stops in the body handler, before any handler here could log it
          LOG.warn("Feishu webhook request from {} refused ({})", address(ctx), ctx.statusCode());
          ctx.next();
        });
    // learnt now, so the first group message does not wait for it
    api.botOpenId().onFailure(e -> LOG.warn("The Feishu bot's open_id is not known yet: {}", e.getMessage()));
  }

  private void checkSignature(RoutingContext ctx) {
    Signature signature = Signature.NOT_USED;
    if (crypto != null) {
      String given = ctx.request().getHeader("X-Lark-Signature");
      signature = given == null ? Signature.MISSING
          : crypto.verify(ctx.request().getHeader("X-Lark-Request-Timestamp"),
              ctx.request().getHeader("X-Lark-Request-Nonce"), rawBody(ctx).getBytes(), given)
              ? Signature.VALID : Signature.BAD;
    }
    ctx.put(SIGNATURE, signature);
    ctx.next();
  }

  /** The event as JSON, decrypted when an Encrypt Key is set. */
  private void openEnvelope(RoutingContext ctx) {
    JsonObject body = cn.legalkoi.web.StrictUtf8.decode(rawBody(ctx)).map(FeishuRoutes::jsonObject).orElse(null);
    if (body == null) {
      malformed(ctx, "the body is not a JSON object");
      return;
    }
    Object encrypted = body.getValue("encrypt");
    if (crypto == null) {
      if (encrypted != null) {
        malformed(ctx, "the event is encrypted but no Encrypt Key is configured (channels.feishu.encryptKey)");
        return;
      }
      ctx.put(ENVELOPE, body);
      ctx.next();
      return;
    }
    if (!(encrypted instanceof String)) {
      malformed(ctx, "an Encrypt Key is configured but the body has no encrypt field");
      return;
    }
    JsonObject envelope;
    try {
      envelope = jsonObject(crypto.decrypt((String) encrypted));
    } catch (PlatformCryptoException e) {
      malformed(ctx, e.getMessage());
      return;
    }
    if (envelope == null) {
      malformed(ctx, "the decrypted event is not a JSON object");
      return;
    }
    ctx.put(ENVELOPE, envelope);
    ctx.next();
  }

  private void checkToken(RoutingContext ctx) {
    JsonObject envelope = ctx.get(ENVELOPE);
    boolean challenge = URL_VERIFICATION.equals(envelope.getValue("type"));
    Signature signature = ctx.get(SIGNATURE);
    if (!challenge && (signature == Signature.MISSING || signature == Signature.BAD)) {
      refuse(ctx, 401, unsigned(signature));
      return;
    }
    Object header = envelope.getValue("header");
    // schema 2.0 carries the token in the header; the challenge and old-schema events at the top
    Object token = header instanceof JsonObject ? ((JsonObject) header).getValue("token") : envelope.getValue("token");
    if (!(token instanceof String) || !Digests.sameText(verificationToken, (String) token)) {
      refuse(ctx, 401, "wrong or missing verification token");
      return;
    }
    ctx.next();
  }

  private void act(RoutingContext ctx) {
    JsonObject envelope = ctx.get(ENVELOPE);
    if (URL_VERIFICATION.equals(envelope.getValue("type"))) {
      Object challenge = envelope.getValue("challenge");
      if (!(challenge instanceof String)) {
        refuse(ctx, 400, "url_verification without a challenge");
        return;
      }
      Replies.json(ctx, 200, new JsonObject().put("challenge", challenge));
      return;
    }
    Object header = envelope.getValue("header");
    if (!(header instanceof JsonObject)
        || !FeishuMessageEvent.EVENT_TYPE.equals(((JsonObject) header).getValue("event_type"))) {
      acknowledge(ctx);
      return;
    }
    FeishuMessageEvent event;
    InboundMessage message;
    try {
      event = FeishuMessageEvent.parse(envelope);
      message = event.toInbound();
    } catch (IllegalArgumentException e) {
      refuse(ctx, 400, "unreadable im.message.receive_v1: " + e.getMessage());
      return;
    }
    if (!event.isFromPerson() || !(event.isOneToOne() || event.isGroup())) {
      acknowledge(ctx);
      return;
    }
    addressedToBot(event)
        .compose(addressed -> addressed ? conversations.receive(message).mapEmpty() : Future.succeededFuture())
        .onComplete(recorded -> {
          if (recorded.succeeded()) {
            acknowledge(ctx);
          } else {
            // not acknowledged: Feishu sends the event again
            LOG.warn("Feishu event {} could not be recorded: {}", event.eventId(), recorded.cause().toString());
            Replies.error(ctx, 503, "unavailable", "暂时无法处理，请稍后重试");
          }
        });
  }

  /** One-to-one always; in a group only when the bot itself is among the mentions. */
  private Future<Boolean> addressedToBot(FeishuMessageEvent event) {
    if (!event.isGroup()) {
      return Future.succeededFuture(true);
    }
    return api.botOpenId().timeout(BOT_LOOKUP_MS, TimeUnit.MILLISECONDS).map(event::mentions).recover(e -> {
      // with the usual permission (group @-messages only) Feishu delivers no group message that skips the bot
      LOG.warn("The Feishu bot's open_id is unknown ({}): group message {} is taken as addressed to the bot"
          + " because it mentions someone", e.getMessage(), event.eventId());
      return Future.succeededFuture(!event.mentions().isEmpty());
    });
  }

  /** Unreadable: a client error when the request was signed (or needs no signature), unauthorised otherwise. */
  private static void malformed(RoutingContext ctx, String reason) {
    Signature signature = ctx.get(SIGNATURE);
    if (signature == Signature.MISSING || signature == Signature.BAD) {
      refuse(ctx, 401, unsigned(signature) + ", and not a readable challenge: " + reason);
    } else {
      refuse(ctx, 400, reason);
    }
  }

  private static String unsigned(Signature signature) {
    return signature == Signature.BAD ? "bad X-Lark-Signature" : "no X-Lark-Signature";
  }

  private static void acknowledge(RoutingContext ctx) {
    Replies.json(ctx, 200, new JsonObject());
  }

  /** A refused request: logged with its reason and address, never with the body, a token or a signature. */
  private static void refuse(RoutingContext ctx, int status, String reason) {
    LOG.warn("Feishu webhook request from {} refused ({}): {}", address(ctx), status, reason);
    Replies.error(ctx, status, status == 401 ? "unauthorized" : "bad_request",
        status == 401 ? "签名或令牌无效" : "请求格式不正确");
  }

  private static String address(RoutingContext ctx) {
    return cn.legalkoi.web.ClientAddress.of(ctx);
  }

  private static Buffer rawBody(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    return raw == null ? Buffer.buffer() : raw;
  }

  private static JsonObject jsonObject(String text) {
    try {
      Object parsed = Json.decodeValue(text);
      return parsed instanceof JsonObject ? (JsonObject) parsed : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
