package cn.legalkoi.chat;

import cn.legalkoi.answer.Answers;
import cn.legalkoi.chat.dingtalk.DingTalkApi;
import cn.legalkoi.chat.dingtalk.DingTalkMedia;
import cn.legalkoi.chat.dingtalk.DingTalkRoutes;
import cn.legalkoi.chat.dingtalk.DingTalkSender;
import cn.legalkoi.chat.dingtalk.DingTalkStream;
import cn.legalkoi.chat.feishu.FeishuApi;
import cn.legalkoi.chat.feishu.FeishuMedia;
import cn.legalkoi.chat.feishu.FeishuRoutes;
import cn.legalkoi.chat.feishu.FeishuSender;
import cn.legalkoi.chat.wecom.WeComApi;
import cn.legalkoi.chat.wecom.WeComKfSender;
import cn.legalkoi.chat.wecom.WeComKfStore;
import cn.legalkoi.chat.wecom.WeComMedia;
import cn.legalkoi.chat.wecom.WeComKfSync;
import cn.legalkoi.chat.wecom.WeComRoutes;
import cn.legalkoi.chat.wecom.WeComSender;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ChannelsConfig;
import cn.legalkoi.store.Migration;
import cn.legalkoi.store.Store;
import cn.legalkoi.web.RouteModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation core and its channels, wired: the outbox, the conversations, and each configured channel's
 * routes and sender. Owns their timers and the HTTP client the senders share.
 */
public final class ChatModule {
  private static final Logger LOG = LoggerFactory.getLogger(ChatModule.class);
  /** How often messages that could not be answered at once are tried again, and how old they must be. */
  private static final Duration RETRY_UNANSWERED = Duration.ofSeconds(30);
  /** How long one call to a platform's API may take before it counts as failed (and is retried later). */
  private static final Duration PLATFORM_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final WebClient platforms;
  private final Outbox outbox;
  private final Conversations conversations;
  private final List<RouteModule> routes = new ArrayList<>();
  private final FeishuApi feishuApi;
  private final DingTalkStream dingTalkStream;
  private final WeComKfSync kfSync;
  private final MediaDownload mediaDownload;
  private final Map<Channel, MediaSource> mediaSources = new EnumMap<>(Channel.class);
  private final AppConfig config;
  private long timer = -1;

  public ChatModule(Vertx vertx, Store store, Answers answers, AppConfig config, Clock clock) {
    this(vertx, store, answers, config, clock, Handover.NONE);
  }

  /** @param handover where escalations become tickets, and where owners' messages on an open ticket go */
  public ChatModule(Vertx vertx, Store store, Answers answers, AppConfig config, Clock clock, Handover handover) {
    this.vertx = vertx;
    this.config = config;
    this.platforms = WebClient.create(vertx, new WebClientOptions().setUserAgent("legal-koi")
        .setConnectTimeout((int) PLATFORM_TIMEOUT.toMillis()));
    ChannelsConfig.WeCom wecom = config.channels().wecom();
    Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    // the web chat's browser reads its replies from the transcript, so for it "sent" is "queued"
    // (an adviser's reply is announced on its way out, so that the browser waiting on any node shows it at once)
    senders.put(Channel.WEB, message -> Conversations.announceLines(store.signals(), Channel.WEB, message.userId()));
    // one access token for the app's messages and its 微信客服 (which the same app serves)
    WeComApi wecomApi = wecom.enabled() ? new WeComApi(platforms, wecom, PLATFORM_TIMEOUT, clock) : null;
    this.mediaDownload = new MediaDownload(vertx, PLATFORM_TIMEOUT);
    if (wecomApi != null) {
      mediaSources.put(Channel.WECOM, new WeComMedia(wecomApi, mediaDownload));
      mediaSources.put(Channel.WECOM_KF, mediaSources.get(Channel.WECOM));
      senders.put(Channel.WECOM, new WeComSender(wecomApi, wecom));
      senders.put(Channel.WECOM_KF, new WeComKfSender(wecomApi, store, clock));
    }
    this.feishuApi = config.channels().feishu().enabled()
        ? new FeishuApi(vertx, config.channels().feishu(), clock) : null;
    if (feishuApi != null) {
      senders.put(Channel.FEISHU, new FeishuSender(feishuApi));
      mediaSources.put(Channel.FEISHU, new FeishuMedia(feishuApi, mediaDownload));
    }
    ChannelsConfig.DingTalk dingtalk = config.channels().dingtalk();
    DingTalkApi dingTalkApi = dingtalk.enabled() ? new DingTalkApi(platforms, dingtalk, PLATFORM_TIMEOUT, clock) : null;
    if (dingTalkApi != null) {
      senders.put(Channel.DINGTALK, new DingTalkSender(platforms, dingTalkApi, dingtalk, PLATFORM_TIMEOUT, clock));
      mediaSources.put(Channel.DINGTALK, new DingTalkMedia(dingTalkApi, mediaDownload, dingtalk.robotCodeOrAppKey()));
    }
    this.outbox = new Outbox(vertx, store, senders, clock);
    Conversations.hearLines(vertx, store.signals());
    this.conversations = new Conversations(vertx, store, answers, outbox, clock,
        new SenderLimit(config.chat().maxMessagesPerMinute()), config.limits().maxQuestionChars(), handover);
    routes.add(new WebChatRoutes(vertx, conversations, new AddressLimit(config.chat().webRequestsPerMinute(), clock),
        config.limits().maxQuestionChars()));
    this.kfSync = wecomApi == null ? null : new WeComKfSync(vertx, wecomApi, store, conversations, clock);
    if (wecomApi != null) {
      routes.add(new WeComRoutes(vertx, wecom, conversations, kfSync));
    }
    if (feishuApi != null) {
      routes.add(new FeishuRoutes(conversations, feishuApi, config.channels().feishu()));
    }
    if (dingTalkApi != null && !dingtalk.isStream()) {
      routes.add(new DingTalkRoutes(conversations, dingtalk, clock));
    }
    this.dingTalkStream = dingTalkApi != null && dingtalk.isStream()
        ? new DingTalkStream(vertx, dingTalkApi, conversations, PLATFORM_TIMEOUT) : null;
  }

  /** The schema of the conversation core and of the channels that keep their own tables. */
  public static List<Migration> migrations() {
    return Stream.concat(Conversations.migrations().stream(), WeComKfStore.MIGRATIONS.stream()).toList();
  }

  /** The web chat's routes and the webhook of each channel that is on; a channel that is off has no route (404). */
  public List<RouteModule> routes() {
    return List.copyOf(routes);
  }

  /** Where every message to an owner leaves; {@link Outbox#kick} sends what was just queued without waiting. */
  public Outbox outbox() {
    return outbox;
  }

  public Conversations conversations() {
    return conversations;
  }

  /** Counts the outbox's failed deliveries into {@code metrics}. */
  public void useMetrics(cn.legalkoi.metrics.ServiceMetrics metrics) {
    outbox.useMetrics(metrics);
  }

  /**
   * Each channel and whether it is configured, for {@code /health}; DingTalk in stream mode also says whether its
   * link is open now.
   */
  public io.vertx.core.json.JsonObject channelsHealth() {
    io.vertx.core.json.JsonObject channels = new io.vertx.core.json.JsonObject()
        .put("web", new io.vertx.core.json.JsonObject().put("enabled", true));
    channels.put("wecom", new io.vertx.core.json.JsonObject().put("enabled", config.channels().wecom().enabled()));
    channels.put("feishu", new io.vertx.core.json.JsonObject().put("enabled", config.channels().feishu().enabled()));
    ChannelsConfig.DingTalk dingtalk = config.channels().dingtalk();
    io.vertx.core.json.JsonObject ding = new io.vertx.core.json.JsonObject().put("enabled", dingtalk.enabled());
    if (dingtalk.enabled()) {
      ding.put("mode", dingtalk.isStream() ? "stream" : "http");
    }
    if (dingTalkStream != null) {
      ding.put("connected", dingTalkStream.connected());
    }
    return channels.put("dingtalk", ding);
  }

  /** Where each channel that is on serves owners' pictures and files (the web chat takes none). */
  public Map<Channel, MediaSource> mediaSources() {
    return Map.copyOf(mediaSources);
  }

  /**
   * Starts delivering, opens the DingTalk stream when that channel uses it, and answers what was recorded but not
   * answered before the last stop.
   */
  public Future<Integer> start() {
    outbox.start();
    if (dingTalkStream != null) {
      dingTalkStream.start();
    }
    timer = vertx.setPeriodic(RETRY_UNANSWERED.toMillis(), t -> conversations.recover(RETRY_UNANSWERED)
        .onFailure(e -> LOG.warn("Could not retry unanswered messages: {}", e.toString())));
    return conversations.recover(Duration.ZERO).onSuccess(n -> {
      if (n > 0) {
        LOG.info("Answering {} messages recorded before the last stop", n);
      }
      if (kfSync != null) {
        kfSync.resumeAll().onFailure(e -> LOG.warn("Could not resume the 微信客服 syncs: {}", e.toString()));
      }
    });
  }

  /** Closes the DingTalk stream link, so the platform holds new messages (and redelivers any not acknowledged). */
  public Future<Void> stopReceiving() {
    if (kfSync != null) {
      kfSync.stop();
    }
    if (dingTalkStream == null) {
      return Future.succeededFuture();
    }
    return dingTalkStream.stop().recover(e -> {
      LOG.warn("The DingTalk stream did not close cleanly: {}", e.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * For shutdown, once no channel can deliver new messages: finishes answering what was acknowledged, sends what is
   * due, then closes the platform clients. Work left when {@code grace} runs out is kept and done after the next
   * start.
   */
  public Future<Void> stop(Duration grace) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return conversations.settle().compose(v -> outbox.drain())
        .timeout(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .recover(e -> {
          LOG.warn("Stopping with work left after {} s: it is kept and done after the next start ({})",
              grace.toSeconds(), e.toString());
          return Future.succeededFuture();
        })
        .onComplete(r -> {
          conversations.stopRetries();
          outbox.stop();
          platforms.close();
          mediaDownload.close();
          if (feishuApi != null) {
            feishuApi.close();
          }
        });
  }
}
