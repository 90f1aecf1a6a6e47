package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.Conversations;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.config.ChannelsConfig;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WeCom self-built application's callback, {@code GET|POST /webhooks/wecom}. GET is the URL verification the
 * admin console makes when the callback is saved: the decrypted echostr comes back as plain text. POST carries a
 * message: it is authenticated and decrypted ({@link WeComCallbacks}), recorded by the conversation core, and only
 * then acknowledged with an empty 200, well within WeCom's five seconds. The answer follows as an active message
 * through the outbox; a redelivery (same MsgId) is acknowledged and gets nothing new. When the record cannot be
 * written the answer is 500, so that WeCom delivers the message again.
 *
 * <p>With {@code passiveReplyMillis} above zero (the default) the acknowledgement waits that long for the answer:
 * an answer ready in time is recorded as delivered and comes back as WeCom's encrypted passive reply, so it needs no
 * {@code message/send}; a later one is acknowledged empty and sent actively. A redelivery of a message answered
 * passively gets the same reply again (freshly encrypted and signed), and nothing is sent. A 微信客服 notice ({@code kf_msg_or_event})
 * carries no message: it is acknowledged at once and starts a {@link WeComKfSync} of its account.
 */
public final class WeComRoutes implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(WeComRoutes.class);
  static final String PATH = "/webhooks/wecom";

  private final Vertx vertx;
  private final WeComCallbacks callbacks;
  private final Conversations conversations;
  private final WeComKfSync kfSync;
  private final WeComCrypto crypto;
  private final String corpId;
  private final Duration passiveBudget;
  private final SecureRandom random = new SecureRandom();

  public WeComRoutes(Vertx vertx, ChannelsConfig.WeCom config, Conversations conversations, WeComKfSync kfSync) {
    this.kfSync = kfSync;
    this.vertx = vertx;
    this.crypto = new WeComCrypto(config.token(), config.encodingAesKey(), config.corpId());
    this.callbacks = new WeComCallbacks(crypto);
    this.conversations = conversations;
    this.corpId = config.corpId();
    this.passiveBudget = Duration.ofMillis(config.passiveReplyMillis());
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get(PATH).handler(this::verifyUrl);
    router.post(PATH).handler(web.bodyLimit(WeComCallbacks.MAX_BODY_BYTES)).handler(this::receive)
        .failureHandler(WeComRoutes::logOversized);
  }

  /** The body limit answers 413 before any of this route's code runs: noted here, then answered as usual. */
  private static void logOversized(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      LOG.warn("WeCom callback from {} refused with 413: the body is over {} bytes", ctx.request().remoteAddress(),
          WeComCallbacks.MAX_BODY_BYTES);
    }
    ctx.next();
  }

  private void verifyUrl(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String signature = request.getParam("msg_signature");
    String timestamp = request.getParam("timestamp");
    String nonce = request.getParam("nonce");
    String echostr = request.getParam("echostr");
    // echostr is Base64: a '+' that reached us unencoded has been decoded to a space
    String encrypted = echostr == null ? null : echostr.replace(' ', '+');
    vertx.executeBlocking(() -> callbacks.echo(signature, timestamp, nonce, encrypted), false).onComplete(result -> {
      if (result.failed()) {
        refuse(ctx, result.cause());
      } else {
        LOG.info("WeCom verified the callback URL");
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(result.result());
      }
    });
  }

  private void receive(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String signature = request.getParam("msg_signature");
    String timestamp = request.getParam("timestamp");
    String nonce = request.getParam("nonce");
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    vertx.executeBlocking(() -> callbacks.read(signature, timestamp, nonce, body), false).onComplete(result -> {
      if (result.failed()) {
        refuse(ctx, result.cause());
      } else if (result.result() instanceof WeComCallbacks.Acknowledged) {
        acknowledge(ctx, (WeComCallbacks.Acknowledged) result.result());
      } else if (result.result() instanceof WeComCallbacks.KfNotice) {
        sync(ctx, (WeComCallbacks.KfNotice) result.result());
      } else {
        record(ctx, ((WeComCallbacks.Message) result.result()).message());
      }
    });
  }

  private void record(RoutingContext ctx, InboundMessage message) {
    if (passiveBudget.isZero()) {
      recordForActiveReply(ctx, message);
      return;
    }
    conversations.receiveAnsweringWithin(message, passiveBudget).onComplete(stored -> {
      if (stored.failed()) {
        LOG.warn("WeCom message {} could not be recorded; answering 500 so that WeCom delivers it again: {}",
            message.messageId(), stored.cause().toString());
        Replies.error(ctx, 500, "internal_error", "服务暂时出错了，请稍后再试");
      } else if (stored.result().isEmpty()) {
        ctx.response().end();
      } else {
        ctx.response().putHeader("Content-Type", "text/xml; charset=utf-8")
            .end(passiveReply(message.userId(), stored.result().get()));
      }
    });
  }

  /**
   * The encrypted passive reply carrying {@code text} to {@code toUser}, as the 加解密方案 lays it out, with a fresh
   * timestamp, nonce and random prefix. Pure CPU of a few microseconds (the cipher's classes are loaded by the
   * callback's decryption), so it runs where the response is written.
   */
  private String passiveReply(String toUser, String text) {
    long now = System.currentTimeMillis() / 1000;
    String reply = "<xml><ToUserName>" + cdata(toUser) + "</ToUserName><FromUserName>" + cdata(corpId)
        + "</FromUserName><CreateTime>" + now + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
        + cdata(text) + "</Content></xml>";
    String nonce = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    return crypto.encryptedReply(reply, WeComCrypto.randomPrefix(random), Long.toString(now), nonce);
  }

  /** A CDATA section holding {@code text} exactly, even when it contains the section's own end marker. */
  static String cdata(String text) {
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
  }

  private void recordForActiveReply(RoutingContext ctx, InboundMessage message) {
    conversations.receive(message).onComplete(stored -> {
      if (stored.failed()) {
        LOG.warn("WeCom message {} could not be recorded; answering 500 so that WeCom delivers it again: {}",
            message.messageId(), stored.cause().toString());
        Replies.error(ctx, 500, "internal_error", "服务暂时出错了，请稍后再试");
        return;
      }
      if (!stored.result()) {
        LOG.info("WeCom delivered message {} again; it was recorded before", message.messageId());
      }
      ctx.response().end();
    });
  }

  private static void acknowledge(RoutingContext ctx, WeComCallbacks.Acknowledged what) {
    LOG.debug("WeCom sent {}; acknowledged, nothing to answer", what.what());
    ctx.response().end();
  }

  private void sync(RoutingContext ctx, WeComCallbacks.KfNotice notice) {
    ctx.response().end();
    kfSync.request(notice.openKfId(), notice.token());
  }

  private static void refuse(RoutingContext ctx, Throwable cause) {
    if (!(cause instanceof WeComCallbacks.Refused)) {
      ctx.fail(cause);
      return;
    }
    int status = ((WeComCallbacks.Refused) cause).status();
    LOG.warn("WeCom callback from {} refused with {}: {}", ctx.request().remoteAddress(), status, cause.getMessage());
    switch (status) {
      case 401:
        Replies.error(ctx, 401, "bad_signature", "签名校验失败");
        break;
      case 413:
        Replies.error(ctx, 413, "payload_too_large", "请求内容太大");
        break;
      default:
        Replies.error(ctx, 400, "bad_request", "回调内容无法解析");
        break;
    }
  }
}
