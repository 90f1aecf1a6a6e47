package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.FetchedMedia;
import cn.legalkoi.chat.MediaDownload;
import cn.legalkoi.chat.MediaGone;
import cn.legalkoi.chat.MediaSource;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Pictures, voice and files of the self-built app and of 微信客服 alike: {@code GET /cgi-bin/media/get?access_token=…
 * &media_id=…}. WeCom answers the file itself, or a JSON body with an errcode: 40007 (invalid media_id) means the id
 * is gone; a refused token is fetched again; anything else may pass on a later try. Media ids live three days.
 */
public final class WeComMedia implements MediaSource {
  static final int INVALID_MEDIA_ID = 40007;
  private static final Duration LIFETIME = Duration.ofDays(3);

  private final WeComApi api;
  private final MediaDownload download;

  public WeComMedia(WeComApi api, MediaDownload download) {
    this.api = api;
    this.download = download;
  }

  @Override
  public Future<FetchedMedia> fetch(JsonObject reference) {
    Object mediaId = reference.getValue("mediaId");
    if (!(mediaId instanceof String) || ((String) mediaId).isEmpty()) {
      return Future.failedFuture(new MediaGone("the reference has no media id"));
    }
    return api.withToken(token -> download.send(HttpMethod.GET, api.url("media/get") + "?access_token="
        + encoded(token) + "&media_id=" + encoded((String) mediaId), null, null).compose(this::fileOrRefusal));
  }

  @Override
  public Optional<Duration> lifetime() {
    return Optional.of(LIFETIME);
  }

  private Future<FetchedMedia> fileOrRefusal(HttpClientResponse response) {
    if (response.statusCode() / 100 != 2) {
      response.request().reset();
      return Future.failedFuture(new IOException("WeCom media/get answered HTTP " + response.statusCode()));
    }
    if (!MediaDownload.isJson(response)) {
      return Future.succeededFuture(FetchedMedia.of(response));
    }
    return MediaDownload.readAtMost(response, MediaDownload.MAX_ERROR_BYTES).compose(body -> {
      JsonObject answer;
      try {
        answer = body.toJsonObject();
      } catch (RuntimeException e) {
        answer = new JsonObject();
      }
      Object errcode = answer.getValue("errcode");
      if (!(errcode instanceof Number) || ((Number) errcode).intValue() == 0) {
        return Future.failedFuture(new IOException("WeCom media/get answered JSON without a file"));
      }
      int code = ((Number) errcode).intValue();
      WeComApiException refused = api.refused("media/get", code, String.valueOf(answer.getValue("errmsg", "")));
      return Future.failedFuture(code == INVALID_MEDIA_ID ? new MediaGone(refused.getMessage()) : refused);
    });
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
