package cn.legalkoi.chat.feishu;

import cn.legalkoi.chat.FetchedMedia;
import cn.legalkoi.chat.MediaDownload;
import cn.legalkoi.chat.MediaGone;
import cn.legalkoi.chat.MediaSource;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Pictures and files of messages sent to the bot: {@code GET /open-apis/im/v1/messages/{message_id}/resources/
 * {file_key}?type=image|file} with the tenant token. Feishu serves a resource only with the message it came in, so
 * the reference carries both. Feishu answers the file, or JSON with a non-zero code (a refused token is fetched
 * again; other codes may pass on a later try).
 */
public final class FeishuMedia implements MediaSource {
  private final FeishuApi api;
  private final MediaDownload download;

  public FeishuMedia(FeishuApi api, MediaDownload download) {
    this.api = api;
    this.download = download;
  }

  @Override
  public Future<FetchedMedia> fetch(JsonObject reference) {
    Object key = reference.getValue("mediaId");
    Object message = reference.getValue("messageId");
    if (!(key instanceof String) || ((String) key).isEmpty() || !(message instanceof String)
        || ((String) message).isEmpty()) {
      return Future.failedFuture(new MediaGone("the reference has no message id and file key"));
    }
    String type = "image".equals(reference.getValue("type")) ? "image" : "file";
    String path = "/open-apis/im/v1/messages/" + encoded((String) message) + "/resources/" + encoded((String) key)
        + "?type=" + type;
    return api.withToken(token -> download.send(HttpMethod.GET, api.url(path),
        MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token), null)
        .compose(FeishuMedia::fileOrRefusal));
  }

  private static Future<FetchedMedia> fileOrRefusal(HttpClientResponse response) {
    if (response.statusCode() / 100 == 2 && !MediaDownload.isJson(response)) {
      return Future.succeededFuture(FetchedMedia.of(response));
    }
    int status = response.statusCode();
    return MediaDownload.readAtMost(response, MediaDownload.MAX_ERROR_BYTES).compose(body -> {
      JsonObject answer;
      try {
        answer = body.toJsonObject();
      } catch (RuntimeException e) {
        answer = new JsonObject();
      }
      Object code = answer.getValue("code");
      return Future.failedFuture(new FeishuApiException("message resource",
          code instanceof Number ? ((Number) code).intValue() : FeishuApiException.NO_CODE,
          answer.getValue("msg", "") + " (HTTP " + status + ")"));
    });
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
