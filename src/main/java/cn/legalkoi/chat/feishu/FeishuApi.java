package cn.legalkoi.chat.feishu;

import cn.legalkoi.chat.PlatformToken;
import cn.legalkoi.config.ChannelsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.util.Set;

/**
 * Feishu's server API as the bot uses it. Calls carry a {@code tenant_access_token} fetched with the app's id and
 * secret and kept until shortly before it expires; a call refused for its token is made once more with a fresh one.
 * Feishu reports a failure by a non-zero {@code code} in the JSON, inside an HTTP 200 as often as with a 4xx, so the
 * code is read whatever the status: a call succeeds only with HTTP 2xx and code 0.
 */
public final class FeishuApi {
  static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
  static final String BOT_INFO_PATH = "/open-apis/bot/v3/info";
  /** Missing, invalid or expired access token. */
  private static final Set<Integer> TOKEN_REFUSED = Set.of(99991661, 99991663, 99991668);
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long CALL_TIMEOUT_MS = 10_000;

  private final WebClient client;
  private final String apiBase;
  private final String appId;
  private final String appSecret;
  private final Clock clock;
  private final PlatformToken token;
  // guarded by this; a pending future is shared, so concurrent callers cause one fetch
  private Future<String> botOpenId;

  public FeishuApi(Vertx vertx, ChannelsConfig.Feishu config, Clock clock) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setUserAgent("legal-koi"));
    this.apiBase = config.apiBase().replaceAll("/+$", "");
    this.appId = config.appId();
    this.appSecret = config.appSecret();
    this.clock = clock;
    this.token = new PlatformToken("Feishu", this::fetchToken, clock);
  }

  /** POSTs JSON with the tenant token; the answer's JSON once its code is 0. */
  public Future<JsonObject> post(String operation, String path, JsonObject body) {
    return authorised(operation, HttpMethod.POST, path, body);
  }

  /**
   * The bot's own open_id, asked once and remembered (asked again after a failure): how a group @-mention of the
   * bot is told from a mention of someone else.
   */
  public synchronized Future<String> botOpenId() {
    if (botOpenId == null) {
      Future<String> asked = authorised("bot info", HttpMethod.GET, BOT_INFO_PATH, null).compose(json -> {
        Object bot = json.getValue("bot");
        Object id = bot instanceof JsonObject ? ((JsonObject) bot).getValue("open_id") : null;
        return id instanceof String && !((String) id).isEmpty() ? Future.succeededFuture((String) id)
            : Future.failedFuture(new FeishuApiException("bot info", FeishuApiException.NO_CODE,
                "the answer has no bot.open_id"));
      });
      botOpenId = asked;
      asked.onFailure(e -> forgetBotOpenId(asked));
    }
    return botOpenId;
  }

  /** A call of another shape (a download) with the tenant token; once more with a fresh one if Feishu refuses it. */
  <T> Future<T> withToken(java.util.function.Function<String, Future<T>> call) {
    return token.call(t -> call.apply(t.value()), FeishuApi::isTokenRefused);
  }

  String url(String path) {
    return apiBase + path;
  }

  public void close() {
    client.close();
  }

  private synchronized void forgetBotOpenId(Future<String> failed) {
    if (botOpenId == failed) {
      botOpenId = null;
    }
  }

  private Future<JsonObject> authorised(String operation, HttpMethod method, String path, JsonObject body) {
    return token.call(t -> call(operation, method, path, body, t.value()), FeishuApi::isTokenRefused);
  }

  private static boolean isTokenRefused(Throwable e) {
    return e instanceof FeishuApiException && TOKEN_REFUSED.contains(((FeishuApiException) e).code());
  }

  private Future<PlatformToken.Token> fetchToken() {
    long asked = clock.millis();
    JsonObject credentials = new JsonObject().put("app_id", appId).put("app_secret", appSecret);
    return call("tenant_access_token", HttpMethod.POST, TOKEN_PATH, credentials, null).compose(json -> {
      Object value = json.getValue("tenant_access_token");
      Object expire = json.getValue("expire");
      if (!(value instanceof String) || ((String) value).isEmpty() || !(expire instanceof Number)) {
        return Future.failedFuture(new FeishuApiException("tenant_access_token", FeishuApiException.NO_CODE,
            "the answer has no token or no expiry"));
      }
      return Future.succeededFuture(PlatformToken.Token.of((String) value, asked, ((Number) expire).longValue()));
    });
  }

  private Future<JsonObject> call(String operation, HttpMethod method, String path, JsonObject body, String bearer) {
    HttpRequest<Buffer> request = client.requestAbs(method, apiBase + path).timeout(CALL_TIMEOUT_MS);
    if (bearer != null) {
      request.bearerTokenAuthentication(bearer);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.transform(answer -> answer.succeeded() ? result(operation, answer.result())
        : Future.failedFuture(new FeishuApiException(operation, FeishuApiException.NO_CODE,
            "no answer: " + answer.cause().getMessage())));
  }

  static Future<JsonObject> result(String operation, HttpResponse<Buffer> response) {
    JsonObject json = null;
    Buffer body = response.body();
    if (body != null && body.length() > 0) {
      try {
        Object parsed = Json.decodeValue(body);
        json = parsed instanceof JsonObject ? (JsonObject) parsed : null;
      } catch (DecodeException e) {
        // reported below
      }
    }
    Object code = json == null ? null : json.getValue("code");
    if (!(code instanceof Number)) {
      return Future.failedFuture(new FeishuApiException(operation, FeishuApiException.NO_CODE,
          "HTTP " + response.statusCode() + " without a Feishu result code"));
    }
    int value = ((Number) code).intValue();
    if (value != 0 || response.statusCode() / 100 != 2) {
      Object msg = json.getValue("msg");
      return Future.failedFuture(new FeishuApiException(operation, value,
          (msg instanceof String ? msg : "") + " (HTTP " + response.statusCode() + ")"));
    }
    return Future.succeededFuture(json);
  }
}
