package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.ChannelSender;
import cn.legalkoi.chat.Outgoing;
import cn.legalkoi.config.ChannelsConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Carries outbox replies to DingTalk. While the message's {@code sessionWebhook} is valid and on a host the
 * configuration trusts, the reply is posted there as markdown (in a group mentioning the asker); a non-zero
 * {@code errcode} in its HTTP 200 fails the send, which the outbox retries. Otherwise the OpenAPI: {@code oToMessages/batchSend} to the staff id one-to-one, or
 * {@code groupMessages/send} to the conversation in a group.
 */
public final class DingTalkSender implements ChannelSender {
  static final String ONE_TO_ONE_PATH = "/v1.0/robot/oToMessages/batchSend";
  static final String GROUP_PATH = "/v1.0/robot/groupMessages/send";
  private static final String TITLE = "法律咨询回复";

  private final WebClient client;
  private final DingTalkApi api;
  private final String robotCode;
  private final List<String> webhookHosts;
  private final long timeoutMillis;
  private final Clock clock;

  public DingTalkSender(WebClient client, DingTalkApi api, ChannelsConfig.DingTalk config, Duration timeout,
      Clock clock) {
    this.client = client;
    this.api = api;
    this.robotCode = config.robotCodeOrAppKey();
    this.webhookHosts = config.sessionWebhookHosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
  }

  @Override
  public Future<Void> send(Outgoing message) {
    JsonObject target = message.target();
    String webhook = target.getString(DingTalkTarget.SESSION_WEBHOOK, "");
    long expires = target.getLong(DingTalkTarget.SESSION_WEBHOOK_EXPIRED_TIME, 0L);
    if (!webhook.isEmpty() && clock.millis() < expires && isTrusted(webhook)) {
      return viaSessionWebhook(webhook, message);
    }
    return viaOpenApi(message);
  }

  /** The webhook's host, with its port when it names one, is listed in {@code sessionWebhookHosts}. */
  boolean isTrusted(String webhook) {
    URI uri;
    try {
      uri = new URI(webhook);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getUserInfo() != null || !scheme.equals("https") && !scheme.equals("http")) {
      return false;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    return webhookHosts.contains(host + ":" + port) || port == defaultPort && webhookHosts.contains(host);
  }

  private Future<Void> viaSessionWebhook(String webhook, Outgoing message) {
    JsonObject target = message.target();
    String staffId = target.getString(DingTalkTarget.STAFF_ID, "");
    boolean mention = DingTalkTarget.GROUP.equals(target.getString(DingTalkTarget.CONVERSATION_TYPE))
        && !staffId.isEmpty();
    JsonObject body = new JsonObject().put("msgtype", "markdown").put("markdown", new JsonObject()
        .put("title", TITLE).put("text", mention ? "@" + staffId + " " + message.text() : message.text()));
    if (mention) {
      body.put("at", new JsonObject().put("atUserIds", new JsonArray().add(staffId)));
    }
    // the webhook URL carries the session's credential: it never goes into a message
    return client.postAbs(webhook).timeout(timeoutMillis).sendJsonObject(body).transform(answer -> {
      if (answer.failed()) {
        return Future.failedFuture(new DingTalkApiException("session webhook", 0, "", "no answer"));
      }
      int status = answer.result().statusCode();
      JsonObject json = DingTalkApi.json(answer.result().body());
      Object errcode = json == null ? null : json.getValue("errcode");
      if (status / 100 != 2) {
        return Future.failedFuture(new DingTalkApiException("session webhook", status, "", ""));
      }
      if (errcode instanceof Number && ((Number) errcode).intValue() != 0) {
        return Future.failedFuture(new DingTalkApiException("session webhook", status,
            "errcode " + errcode, String.valueOf(json.getValue("errmsg", ""))));
      }
      return errcode instanceof Number ? Future.<Void>succeededFuture()
          : Future.failedFuture(new DingTalkApiException("session webhook", status, "", "answered without errcode"));
    });
  }

  private Future<Void> viaOpenApi(Outgoing message) {
    JsonObject target = message.target();
    String msgParam = new JsonObject().put("content", message.text()).encode();
    if (DingTalkTarget.GROUP.equals(target.getString(DingTalkTarget.CONVERSATION_TYPE))) {
      // the OpenAPI cannot @-mention in a group: the reply names the asker, so the group sees whom it answers
      String nick = target.getString(DingTalkTarget.SENDER_NICK, "").strip();
      if (!nick.isEmpty()) {
        msgParam = new JsonObject().put("content", "@" + nick + " " + message.text()).encode();
      }
      String conversation = target.getString(DingTalkTarget.OPEN_CONVERSATION_ID, "");
      if (conversation.isEmpty()) {
        return Future.failedFuture("no DingTalk conversation to send outbox message " + message.id() + " to");
      }
      return api.post("groupMessages/send", GROUP_PATH, new JsonObject().put("robotCode", robotCode)
          .put("openConversationId", conversation).put("msgKey", "sampleText").put("msgParam", msgParam)).mapEmpty();
    }
    String staffId = target.getString(DingTalkTarget.STAFF_ID, "");
    if (staffId.isEmpty()) {
      return Future.failedFuture("no DingTalk staff id to send outbox message " + message.id() + " to");
    }
    return api.post("oToMessages/batchSend", ONE_TO_ONE_PATH, new JsonObject().put("robotCode", robotCode)
        .put("userIds", new JsonArray().add(staffId)).put("msgKey", "sampleText").put("msgParam", msgParam))
        .compose(json -> {
          JsonArray invalid = json.getJsonArray("invalidStaffIdList", new JsonArray());
          JsonArray limited = json.getJsonArray("flowControlledStaffIdList", new JsonArray());
          if (invalid.contains(staffId) || limited.contains(staffId)) {
            return Future.failedFuture(new DingTalkApiException("oToMessages/batchSend", 200, "",
                invalid.contains(staffId) ? "the staff id is not valid" : "the staff id is flow-controlled"));
          }
          return Future.<Void>succeededFuture();
        });
  }
}
