package cn.legalkoi.chat.feishu;

import cn.legalkoi.chat.ChannelSender;
import cn.legalkoi.chat.Outgoing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Carries outbox replies to Feishu as replies to the owner's message
 * ({@code POST /open-apis/im/v1/messages/{message_id}/reply}); in a group the text starts by mentioning the asker.
 * The outbox row goes along as {@code uuid}, Feishu's de-duplication key for an hour: a retry after an answer lost
 * on its way back does not post the reply twice.
 */
public final class FeishuSender implements ChannelSender {
  /** Feishu's ids (om_…, ou_…) are short ASCII; anything else in a target is not put in a path or a tag. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final FeishuApi api;

  public FeishuSender(FeishuApi api) {
    this.api = api;
  }

  @Override
  public Future<Void> send(Outgoing message) {
    String messageId = message.target().getString(FeishuTarget.MESSAGE_ID);
    if (messageId == null || !ID.matcher(messageId).matches()) {
      return Future.failedFuture("no Feishu message to reply to in outbox message " + message.id());
    }
    JsonObject body = new JsonObject()
        .put("msg_type", "text")
        .put("content", new JsonObject().put("text", textOf(message)).encode())
        .put("uuid", "koi-" + message.id() + "-" + message.createdAt());
    return api.post("reply", "/open-apis/im/v1/messages/" + messageId + "/reply", body).mapEmpty();
  }

  private static String textOf(Outgoing message) {
    String openId = message.target().getString(FeishuTarget.OPEN_ID);
    boolean group = FeishuTarget.GROUP.equals(message.target().getString(FeishuTarget.CHAT_TYPE));
    return group && openId != null && ID.matcher(openId).matches()
        ? "<at user_id=\"" + openId + "\"></at> " + message.text()
        : message.text();
  }
}
