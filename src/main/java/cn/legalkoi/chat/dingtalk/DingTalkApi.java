package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.PlatformToken;
import cn.legalkoi.config.ChannelsConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;

/**
 * DingTalk's OpenAPI ({@code api.dingtalk.com}) as the robot uses it: a stream ticket, and calls carrying an access
 * token from {@code POST /v1.0/oauth2/accessToken}, shared by concurrent calls and kept until shortly before it
 * expires; a call refused for its token is made once more with a fresh one. The new-style API answers a failure
 * with an HTTP error and {@code {"code","message"}}, so a call succeeds only with HTTP 2xx.
 */
public final class DingTalkApi {
  static final String TOKEN_PATH = "/v1.0/oauth2/accessToken";
  static final String OPEN_CONNECTION_PATH = "/v1.0/gateway/connections/open";
  static final String BOT_TOPIC = "/v1.0/im/bot/messages/get";
  static final String TOKEN_HEADER = "x-acs-dingtalk-access-token";

  /** Where to open a stream connection, good for one connection. */
  record Ticket(String endpoint, String ticket) {
  }

  private final WebClient client;
  private final String apiBase;
  private final String appKey;
  private final String appSecret;
  private final long timeoutMillis;
  private final Clock clock;
  private final PlatformToken token;

  public DingTalkApi(WebClient client, ChannelsConfig.DingTalk config, Duration timeout, Clock clock) {
    this.client = client;
    this.apiBase = config.apiBase().replaceAll("/+$", "");
    this.appKey = config.appKey();
    this.appSecret = config.appSecret();
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
    this.token = new PlatformToken("DingTalk", this::fetchToken, clock);
  }

  /** A ticket for a stream connection that receives the robot's messages. */
  Future<Ticket> openConnection() {
    JsonObject body = new JsonObject().put("clientId", appKey).put("clientSecret", appSecret)
        .put("subscriptions", new JsonArray().add(new JsonObject().put("type", "CALLBACK").put("topic", BOT_TOPIC)))
        .put("ua", "legal-koi");
    return call("connections/open", client.postAbs(apiBase + OPEN_CONNECTION_PATH)).apply(body).compose(json -> {
      Object endpoint = json.getValue("endpoint");
      Object ticket = json.getValue("ticket");
      if (!(endpoint instanceof String) || ((String) endpoint).isEmpty() || !(ticket instanceof String)
          || ((String) ticket).isEmpty()) {
        return Future.failedFuture(new DingTalkApiException("connections/open", 200, "",
            "the answer has no endpoint or ticket"));
      }
      return Future.succeededFuture(new Ticket((String) endpoint, (String) ticket));
    });
  }

  /** POSTs JSON to an OpenAPI path with the access token; the answer's JSON. */
  Future<JsonObject> post(String operation, String path, JsonObject body) {
    return token.call(used -> send(operation, path, body, used),
        e -> e instanceof DingTalkApiException && ((DingTalkApiException) e).isTokenRejected());
  }

  private Future<JsonObject> send(String operation, String path, JsonObject body, PlatformToken.Token token) {
    return call(operation, client.postAbs(apiBase + path).putHeader(TOKEN_HEADER, token.value())).apply(body);
  }

  private Future<PlatformToken.Token> fetchToken() {
    long asked = clock.millis();
    JsonObject credentials = new JsonObject().put("appKey", appKey).put("appSecret", appSecret);
    return call("accessToken", client.postAbs(apiBase + TOKEN_PATH)).apply(credentials).compose(json -> {
      Object value = json.getValue("accessToken");
      Object expireIn = json.getValue("expireIn");
      if (!(value instanceof String) || ((String) value).isEmpty() || !(expireIn instanceof Number)
          || ((Number) expireIn).longValue() <= 0) {
        return Future.failedFuture(new DingTalkApiException("accessToken", 200, "",
            "the answer has no token or no lifetime"));
      }
      return Future.succeededFuture(PlatformToken.Token.of((String) value, asked, ((Number) expireIn).longValue()));
    });
  }

  private interface Call {
    Future<JsonObject> apply(JsonObject body);
  }

  private Call call(String operation, HttpRequest<Buffer> request) {
    return body -> request.timeout(timeoutMillis).sendJsonObject(body).transform(answer -> answer.succeeded()
        ? result(operation, answer.result())
        : Future.failedFuture(new DingTalkApiException(operation, 0, "", "no answer: "
            + String.valueOf(answer.cause().getMessage()))));
  }

  private static Future<JsonObject> result(String operation, HttpResponse<Buffer> response) {
    JsonObject json = json(response.body());
    if (response.statusCode() / 100 != 2 || json == null) {
      String code = json == null ? "" : String.valueOf(json.getValue("code", ""));
      String message = json == null ? "" : String.valueOf(json.getValue("message", ""));
      return Future.failedFuture(new DingTalkApiException(operation, response.statusCode(), code, message));
    }
    return Future.succeededFuture(json);
  }

  static JsonObject json(Buffer body) {
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
