package cn.legalkoi.chat.wecom;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WeCom server API as the self-built app calls it: {@code POST /cgi-bin/{api}?access_token=…} with a JSON body.
 * The access token from {@code GET /cgi-bin/gettoken} is shared by every concurrent call of the app (app messages
 * and 微信客服 alike) and kept until shortly before it expires; when WeCom rejects it anyway (40014, 42001) it is
 * fetched again and the call tried once more. Any other non-zero errcode, an HTTP error or a timeout fails the call.
 * Failure messages name the errcode and errmsg, never the secret or a token.
 */
public final class WeComApi {
  private static final Logger LOG = LoggerFactory.getLogger(WeComApi.class);
  /** A token is renewed this long before WeCom says it expires (or at half its life, if that is sooner). */
  private static final long RENEW_BEFORE_SECONDS = 300;
  private static final Pattern CREDENTIAL_PARAMETER = Pattern.compile("(corpsecret|access_token)=[^&\\s]*");

  private final WebClient client;
  private final ChannelsConfig.WeCom config;
  private final String apiBase;
  private final long timeoutMillis;
  private final Clock clock;
  private Future<AccessToken> token;

  private record AccessToken(String value, long renewAt) {
  }

  public WeComApi(WebClient client, ChannelsConfig.WeCom config, Duration timeout, Clock clock) {
    this.client = client;
    this.config = config;
    this.apiBase = config.apiBase().replaceAll("/+$", "");
    this.timeoutMillis = timeout.toMillis();
    this.clock = clock;
  }

  /** The result of {@code POST /cgi-bin/{api}} once WeCom accepted it (errcode 0). */
  public Future<JsonObject> post(String api, JsonObject body) {
    return accessToken().compose(used -> post(api, used, body).recover(e -> {
      if (e instanceof WeComApiException && ((WeComApiException) e).isTokenRejected()) {
        LOG.info("WeCom refused the access token ({}); fetching a new one", ((WeComApiException) e).errcode());
        forget(used);
        return accessToken().compose(fresh -> post(api, fresh, body));
      }
      return Future.failedFuture(e);
    }));
  }

  private Future<JsonObject> post(String api, AccessToken token, JsonObject body) {
    return call(api, client.postAbs(apiBase + "/cgi-bin/" + api)
        .addQueryParam("access_token", token.value())
        .timeout(timeoutMillis)
        .sendJsonObject(body));
  }

  /** The cached token while it is good, the fetch under way, or a new fetch. */
  private synchronized Future<AccessToken> accessToken() {
    Future<AccessToken> current = token;
    boolean usable = current != null
        && (!current.isComplete() || current.succeeded() && clock.millis() < current.result().renewAt());
    if (!usable) {
      token = fetchToken();
    }
    return token;
  }

  /** Drops {@code rejected} unless another call has already replaced it. */
  private synchronized void forget(AccessToken rejected) {
    if (token != null && token.succeeded() && token.result() == rejected) {
      token = null;
    }
  }

  private Future<AccessToken> fetchToken() {
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
          long seconds = ((Number) expiresIn).longValue();
          long renewAfter = seconds - Math.min(RENEW_BEFORE_SECONDS, seconds / 2);
          return Future.succeededFuture(new AccessToken((String) value, asked + renewAfter * 1000));
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
    if (!config.secret().isEmpty()) {
      masked = masked.replace(config.secret(), "***");
    }
    Future<AccessToken> current;
    synchronized (this) {
      current = token;
    }
    return current != null && current.succeeded() ? masked.replace(current.result().value(), "***") : masked;
  }
}
