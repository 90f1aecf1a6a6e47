package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.PlatformToken;
import cn.legalkoi.config.ChannelsConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The WeCom server API as the self-built app calls it: {@code POST /cgi-bin/{api}?access_token=…} with a JSON body.
 * The access token from {@code GET /cgi-bin/gettoken} is shared by every concurrent call of the app (app messages
 * and 微信客服 alike) and kept until shortly before it expires; when WeCom rejects it anyway (40014, 42001) it is
 * fetched again and the call tried once more. Any other non-zero errcode, an HTTP error or a timeout fails the call.
 * Failure messages name the errcode and errmsg, never the secret or a token.
 */
public final class WeComApi {
  private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile("(corpsecret|access_token)=[^&\\s]*");

  private final WebClient client;
  private final ChannelsConfig.WeCom config;
  private final String apiBase;
  private final long timeoutMillis;
  private final Clock clock;
  private final PlatformToken token;

  public WeComApi(WebClient client, ChannelsConfig.WeCom config, Duration timeout, Clock clock) {
    this.client = client;
    this.config = config;
    this.apiBase = config.apiBase().replaceAll("/+$", "");
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
    this.token = new PlatformToken("WeCom", this::fetchToken, clock);
  }

  /** The result of {@code POST /cgi-bin/{api}} once WeCom accepted it (errcode 0). */
  public Future<JsonObject> post(String api, JsonObject body) {
    return token.call(used -> post(api, used, body),
        e -> e instanceof WeComApiException && ((WeComApiException) e).isTokenRejected());
  }

  /** A call of another shape (a download) with the access token; once more with a fresh one if WeCom refuses it. */
  <T> Future<T> withToken(java.util.function.Function<String, Future<T>> call) {
    return token.call(used -> call.apply(used.value()),
        e -> e instanceof WeComApiException && ((WeComApiException) e).isTokenRejected());
  }

  /** The address of {@code /cgi-bin/{api}}, without query. */
  String url(String api) {
    return apiBase + "/cgi-bin/" + api;
  }

  /** WeCom's refusal (errcode ≠ 0) as the exception {@link #post} fails with, its errmsg masked. */
  WeComApiException refused(String api, int errcode, String errmsg) {
    return new WeComApiException(api, errcode, withoutCredentials(errmsg));
  }

  private Future<JsonObject> post(String api, PlatformToken.Token token, JsonObject body) {
    return call(api, client.postAbs(apiBase + "/cgi-bin/" + api)
        .addQueryParam("access_token", token.value())
        .timeout(timeoutMillis)
        .sendJsonObject(body));
  }

  private Future<PlatformToken.Token> fetchToken() {
    long asked = clock.millis();
    return call("gettoken", client.getAbs(apiBase + "/cgi-bin/gettoken")
        .addQueryParam("corpid", config.corpId())
        .addQueryParam("corpsecret", config.secret())
        .timeout(timeoutMillis)
        .send()).compose(result -> {
          Object value = result.getValue("access_token");
          Object expiresIn = result.getValue("expires_in");
          if (!(value instanceof String) || ((String) value).isEmpty() || !(expiresIn instanceof Number)
              || ((Number) expiresIn).longValue() <= 0) {
            return Future.failedFuture(new IOException("WeCom gettoken answered without a token and its lifetime"));
          }
          return Future.succeededFuture(PlatformToken.Token.of((String) value, asked,
              ((Number) expiresIn).longValue()));
        });
  }

  /** The JSON result of a call WeCom accepted (HTTP 2xx and errcode 0); anything else fails with a safe message. */
  private Future<JsonObject> call(String api, Future<HttpResponse<Buffer>> request) {
    return request.expecting(HttpResponseExpectation.SC_SUCCESS)
        .recover(e -> Future.failedFuture(new IOException("WeCom " + api + " request failed: " + withoutCredentials(
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()))))
        .compose(response -> {
          JsonObject result;
          try {
            result = response.bodyAsJsonObject();
          } catch (RuntimeException e) {
            result = null;
          }
          if (result == null || !(result.getValue("errcode") instanceof Number)) {
            return Future.failedFuture(new IOException("WeCom " + api + " answered without an errcode"));
          }
          int errcode = result.getInteger("errcode");
          if (errcode != 0) {
            return Future.failedFuture(new WeComApiException(api, errcode,
                withoutCredentials(String.valueOf(result.getValue("errmsg", "")))));
          }
          return Future.succeededFuture(result);
        });
  }

  /** Text from outside (an exception, an errmsg) with the secret and any token in it masked. */
  private String withoutCredentials(String text) {
    String masked = CREDENTIAL_PARAMETER.matcher(text).replaceAll("$1=***");
    String withoutSecret = config.secret().isEmpty() ? masked : masked.replace(config.secret(), "***");
    return token.known().map(t -> withoutSecret.replace(t, "***")).orElse(withoutSecret);
  }
}
