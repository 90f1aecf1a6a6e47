package cn.legalkoi.chat;

import cn.legalkoi.answer.Answers;
import cn.legalkoi.chat.feishu.FeishuApi;
import cn.legalkoi.chat.feishu.FeishuRoutes;
import cn.legalkoi.chat.feishu.FeishuSender;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.store.Store;
import cn.legalkoi.web.RouteModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation core and its channels, wired: the outbox, the conversations, and each channel's routes and
 * sender. Owns their timers.
 */
public final class ChatModule {
  private static final Logger LOG = LoggerFactory.getLogger(ChatModule.class);
  /** How often messages that could not be answered at once are tried again, and how old they must be. */
  private static final Duration RETRY_UNANSWERED = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Outbox outbox;
  private final Conversations conversations;
  private final WebChatRoutes web;
  private final FeishuApi feishuApi;
  private final RouteModule feishu;
  private long timer = -1;

  public ChatModule(Vertx vertx, Store store, Answers answers, AppConfig config, Clock clock) {
    this.vertx = vertx;
    // the web chat's browser reads its replies from the transcript, so for it "sent" is "queued"
    ChannelSender webChat = message -> Future.succeededFuture();
    Map<Channel, ChannelSender> senders = new EnumMap<>(Map.of(Channel.WEB, webChat));
    this.feishuApi = config.channels().feishu().enabled()
        ? new FeishuApi(vertx, config.channels().feishu(), clock) : null;
    if (feishuApi != null) {
      senders.put(Channel.FEISHU, new FeishuSender(feishuApi));
    }
    this.outbox = new Outbox(vertx, store, senders, clock);
    this.conversations = new Conversations(vertx, store, answers, outbox, clock,
        new SenderLimit(config.chat().maxMessagesPerMinute()));
    this.web = new WebChatRoutes(vertx, conversations, new AddressLimit(config.chat().webRequestsPerMinute(), clock),
        config.limits().maxQuestionChars());
    this.feishu = feishuApi != null ? new FeishuRoutes(conversations, feishuApi, config.channels().feishu())
        : (router, webKit) -> { };
  }

  public RouteModule webChat() {
    return web;
  }

  /** {@code POST /webhooks/feishu} when the Feishu app is configured; nothing (so 404) otherwise. */
  public RouteModule feishu() {
    return feishu;
  }

  public Conversations conversations() {
    return conversations;
  }

  /** Starts delivering, and answers what was recorded but not answered before the last stop. */
  public Future<Integer> start() {
    outbox.start();
    timer = vertx.setPeriodic(RETRY_UNANSWERED.toMillis(), t -> conversations.recover(RETRY_UNANSWERED)
        .onFailure(e -> LOG.warn("Could not retry unanswered messages: {}", e.toString())));
    return conversations.recover(Duration.ZERO).onSuccess(n -> {
      if (n > 0) {
        LOG.info("Answering {} messages recorded before the last stop", n);
      }
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    outbox.stop();
    if (feishuApi != null) {
      feishuApi.close();
    }
  }
}
