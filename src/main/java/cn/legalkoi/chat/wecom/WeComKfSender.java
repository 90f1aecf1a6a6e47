package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.ChannelSender;
import cn.legalkoi.chat.Outgoing;
import cn.legalkoi.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries outbox replies to external WeChat users through 微信客服 ({@code POST /cgi-bin/kf/send_msg}), with the
 * app's {@link WeComApi}. Each reply first takes a place in the customer's {@link KfReplyWindow}; a reply the
 * window does not allow is not sent and fails permanently with the reason, so the outbox keeps it as failed for an
 * adviser rather than trying it for a day. A send that fails gives its place back, and the outbox retries it,
 * except when a person now serves the session (95018): WeCom takes no API message then, so that too is permanent.
 */
public final class WeComKfSender implements ChannelSender {
  private static final Logger LOG = LoggerFactory.getLogger(WeComKfSender.class);
  /** kf/send_msg refused because a servicer (a person) has taken the session over. */
  static final int SERVED_BY_A_PERSON = 95018;

  private final WeComApi api;
  private final Store store;
  private final Clock clock;

  public WeComKfSender(WeComApi api, Store store, Clock clock) {
    this.api = api;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Future<Void> send(Outgoing message) {
    String openKfId = message.target().getString("openKfId", "");
    String user = message.target().getString("externalUserId", message.userId());
    if (openKfId.isEmpty()) {
      return Future.failedFuture(new PermanentFailure("微信客服 reply without the open_kfid it came from"));
    }
    JsonObject body = new JsonObject()
        .put("touser", user)
        .put("open_kfid", openKfId)
        .put("msgtype", "text")
        .put("text", new JsonObject().put("content", message.text()));
    return store.run(c -> WeComKfStore.reserveReply(c, openKfId, user, clock.millis())).compose(refusal -> {
      if (refusal.isPresent()) {
        LOG.info("Outbox message {} to a 微信客服 customer is not sent: {}", message.id(), refusal.get());
        return Future.failedFuture(new PermanentFailure(refusal.get()));
      }
      return api.post("kf/send_msg", body).<Void>mapEmpty().recover(e -> store.run(c -> {
        WeComKfStore.releaseReply(c, openKfId, user, clock.millis());
        return null;
      }).transform(released -> Future.failedFuture(isServedByAPerson(e)
          ? new PermanentFailure("微信客服 reply refused: a person serves this session now (" + e.getMessage() + ")")
          : e)));
    });
  }

  private static boolean isServedByAPerson(Throwable e) {
    return e instanceof WeComApiException && ((WeComApiException) e).errcode() == SERVED_BY_A_PERSON;
  }
}
