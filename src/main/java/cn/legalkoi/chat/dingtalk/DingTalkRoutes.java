package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.Conversations;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.config.ChannelsConfig;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot's HTTP callback, {@code POST /webhooks/dingtalk} (mode {@code http}). The {@code timestamp} and
 * {@code sign} headers are checked first ({@link DingTalkSignature}: the appSecret's HMAC, within an hour), then the
 * message is read, recorded by the conversation core and only then acknowledged with 200; the answer follows through
 * the outbox. When the record cannot be written the answer is 503, so that DingTalk delivers the message again.
 */
public final class DingTalkRoutes implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(DingTalkRoutes.class);
  static final String PATH = "/webhooks/dingtalk";
  private static final int BODY_LIMIT = 64 * 1024;

  private final Conversations conversations;
  private final DingTalkSignature signature;
  private final Clock clock;

  public DingTalkRoutes(Conversations conversations, ChannelsConfig.DingTalk config, Clock clock) {
    this.conversations = conversations;
    this.signature = new DingTalkSignature(config.appSecret());
    this.clock = clock;
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.post(PATH).handler(web.bodyLimit(BODY_LIMIT))
        .handler(this::authenticate)
        .handler(this::receive)
        .failureHandler(ctx -> {
          if (ctx.statusCode() == 413) {
            LOG.warn("DingTalk callback from {} refused (413): the body is over {} bytes", address(ctx), BODY_LIMIT);
          }
          ctx.next();
        });
  }

  private void authenticate(RoutingContext ctx) {
    String timestamp = ctx.request().getHeader("timestamp");
    String sign = ctx.request().getHeader("sign");
    if (!signature.verify(timestamp, sign, clock.instant())) {
      LOG.warn("DingTalk callback from {} refused (401): {}", address(ctx),
          sign == null ? "no sign header" : DingTalkSignature.isFresh(timestamp, clock.instant())
              ? "bad sign" : "missing or stale timestamp");
      Replies.error(ctx, 401, "bad_signature", "签名校验失败");
      return;
    }
    ctx.next();
  }

  private void receive(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    InboundMessage message;
    try {
      message = DingTalkMessage.parse(cn.legalkoi.web.StrictUtf8.decode(raw)
          .orElseThrow(() -> new IllegalArgumentException("the body is not UTF-8")));
    } catch (IllegalArgumentException e) {
      LOG.warn("DingTalk callback from {} refused (400): {}", address(ctx), e.getMessage());
      Replies.error(ctx, 400, "bad_request", "回调内容无法解析");
      return;
    }
    conversations.receive(message).onComplete(stored -> {
      if (stored.failed()) {
        LOG.warn("DingTalk message {} could not be recorded; answering 503 so that DingTalk delivers it again: {}",
            message.messageId(), stored.cause().toString());
        Replies.error(ctx, 503, "unavailable", "暂时无法处理，请稍后重试");
        return;
      }
      if (!stored.result()) {
        LOG.info("DingTalk delivered message {} again; it was recorded before", message.messageId());
      }
      Replies.json(ctx, 200, new JsonObject());
    });
  }

  private static String address(RoutingContext ctx) {
    return cn.legalkoi.web.ClientAddress.of(ctx);
  }
}
