package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.ChannelSender;
import cn.legalkoi.chat.Outgoing;
import cn.legalkoi.config.ChannelsConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;

/**
 * Carries outbox replies to WeCom as application text messages ({@code POST /cgi-bin/message/send}) through the
 * app's {@link WeComApi}, which keeps and renews the access token. A non-zero errcode, an HTTP error or a timeout
 * fails the send, and the outbox tries again later; errcode 0 with the member in {@code invaliduser} or
 * {@code unlicenseduser} fails it for good, as the message reached no one and never will.
 */
public final class WeComSender implements ChannelSender {
  private final WeComApi api;
  private final int agentId;

  public WeComSender(WeComApi api, ChannelsConfig.WeCom config) {
    if (config.agentId() <= 0) {
      throw new IllegalArgumentException("channels.wecom.agentId must be the application's AgentId");
    }
    this.api = api;
    this.agentId = config.agentId();
  }

  public WeComSender(WebClient client, ChannelsConfig.WeCom config, Duration timeout, Clock clock) {
    this(new WeComApi(client, config, timeout, clock), config);
  }

  @Override
  public Future<Void> send(Outgoing message) {
    JsonObject body = new JsonObject()
        .put("touser", message.target().getString("toUser", message.userId()))
        .put("msgtype", "text")
        .put("agentid", agentId)
        .put("text", new JsonObject().put("content", message.text()));
    String member = body.getString("touser");
    return api.post("message/send", body).compose(answer -> {
      // WeCom says errcode 0 even when the member cannot receive the message, and names them instead
      for (String list : new String[] {"invaliduser", "unlicenseduser"}) {
        if (java.util.Arrays.asList(answer.getString(list, "").split("\\|")).contains(member)) {
          return Future.failedFuture(new ChannelSender.PermanentFailure("WeCom message/send did not deliver: the"
              + " member is listed in " + list + " (left the organisation, outside the app's visible range or"
              + " without a licence)"));
        }
      }
      return Future.<Void>succeededFuture();
    });
  }
}
