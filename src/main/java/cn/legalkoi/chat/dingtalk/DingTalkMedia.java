package cn.legalkoi.chat.dingtalk;

import cn.legalkoi.chat.FetchedMedia;
import cn.legalkoi.chat.MediaDownload;
import cn.legalkoi.chat.MediaGone;
import cn.legalkoi.chat.MediaSource;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * Pictures and files sent to the robot: {@code POST /v1.0/robot/messageFiles/download {"downloadCode","robotCode"}}
 * gives a short-lived {@code downloadUrl}, which is then fetched without a token.
 */
public final class DingTalkMedia implements MediaSource {
  static final String DOWNLOAD_PATH = "/v1.0/robot/messageFiles/download";

  private final DingTalkApi api;
  private final MediaDownload download;
  private final String robotCode;

  public DingTalkMedia(DingTalkApi api, MediaDownload download, String robotCode) {
    this.api = api;
    this.download = download;
    this.robotCode = robotCode;
  }

  @Override
  public Future<FetchedMedia> fetch(JsonObject reference) {
    Object code = reference.getValue("mediaId");
    if (!(code instanceof String) || ((String) code).isEmpty()) {
      return Future.failedFuture(new MediaGone("the reference has no download code"));
    }
    return api.post("messageFiles/download", DOWNLOAD_PATH, new JsonObject().put("downloadCode", code)
        .put("robotCode", robotCode)).compose(answer -> {
          Object url = answer.getValue("downloadUrl");
          if (!(url instanceof String) || !((String) url).matches("(?i)https?://.+")) {
            return Future.failedFuture(new IOException("DingTalk messageFiles/download gave no downloadUrl"));
          }
          return download.send(HttpMethod.GET, (String) url, null, null);
        }).compose(response -> {
          if (response.statusCode() / 100 != 2) {
            response.request().reset();
            return Future.failedFuture(new IOException("the DingTalk download URL answered HTTP "
                + response.statusCode()));
          }
          return Future.succeededFuture(FetchedMedia.of(response));
        });
  }
}
