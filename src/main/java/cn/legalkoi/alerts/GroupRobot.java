package cn.legalkoi.alerts;

import cn.legalkoi.chat.dingtalk.DingTalkSignature;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;

/**
 * One group robot's webhook: a DingTalk custom robot ({@code POST …/robot/send?access_token=…}, with
 * {@code &timestamp=…&sign=…} appended when it has a 加签 secret) or a WeCom group robot
 * ({@code POST …/cgi-bin/webhook/send?key=…}). Both answer failures inside an HTTP 200, so a post succeeds only with
 * HTTP 2xx and {@code errcode} 0. What a failure says never carries the robot's token, key, secret or sign.
 */
final class GroupRobot {
  /** A post the robot did not accept; its message is safe to log. */
  static final class RobotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RobotException(String message) {
      super(message, null, false, false);
    }
  }

  private final WebClient client;
  private final AlertSettings.Webhook webhook;
  private final long timeoutMillis;
  private final Clock clock;
  private final RobotAddress address;

  GroupRobot(WebClient client, AlertSettings.Webhook webhook, Duration timeout, Clock clock) {
    this.client = client;
    this.webhook = webhook;
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
    this.address = new RobotAddress(webhook.url(), webhook.secret());
  }

  AlertSettings.Platform platform() {
    return webhook.platform();
  }

  /** The robot as logs name it: platform and masked address. */
  String name() {
    return webhook.toString();
  }

  /** Hides this robot's token, key, secret and sign in {@code text}. */
  String scrub(String text) {
    return address.scrub(text);
  }

  /** Posts one message; fails with a {@link RobotException} unless the robot accepted it. */
  Future<Void> post(JsonObject message) {
    String url = webhook.isSigned()
        ? DingTalkSignature.signedWebhookUrl(webhook.url(), webhook.secret(), clock.instant())
        : webhook.url();
    return client.postAbs(url).timeout(timeoutMillis).sendJsonObject(message)
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .transform(answer -> answer.succeeded()
            ? accepted(answer.result())
            : Future.failedFuture(new RobotException(name() + " failed: " + scrub(String.valueOf(
                answer.cause().getMessage())))));
  }

  private Future<Void> accepted(HttpResponse<Buffer> response) {
    JsonObject json = json(response.body());
    Object errcode = json == null ? null : json.getValue("errcode");
    if (errcode instanceof Number && ((Number) errcode).longValue() == 0) {
      return Future.succeededFuture();
    }
    String reason = json == null ? "an answer that is not a JSON object"
        : "errcode " + errcode + ": " + json.getValue("errmsg", "");
    return Future.failedFuture(new RobotException(name() + " refused the message with " + scrub(reason)));
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object parsed = Json.decodeValue(body);
      return parsed instanceof JsonObject ? (JsonObject) parsed : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
