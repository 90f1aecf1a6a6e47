package cn.legalkoi.chat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;

/**
 * Downloads from a platform's media API without buffering the file: the response comes back paused, for the reader
 * to stream with its own limit. A platform's small error answer (JSON inside an HTTP 200, as WeCom gives) can be
 * read whole, up to a few kilobytes.
 */
public final class MediaDownload {
  /** The most of an error answer read to learn the platform's code. */
  public static final int MAX_ERROR_BYTES = 16 * 1024;

  private final HttpClientAgent client;
  private final long idleTimeoutMillis;

  public MediaDownload(Vertx vertx, Duration timeout) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis()));
    this.idleTimeoutMillis = timeout.toMillis();
  }

  /** Sends the request; the response, paused. Failure messages never carry the URL (it may hold a token). */
  public Future<HttpClientResponse> send(HttpMethod method, String url, MultiMap headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url)
        .setIdleTimeout(idleTimeoutMillis);
    return client.request(options).compose(request -> {
      request.putHeader("User-Agent", "legal-koi");
      if (headers != null) {
        request.headers().addAll(headers);
      }
      return body == null ? request.send() : request.send(body);
    }).map(response -> {
      response.pause();
      return response;
    }).recover(e -> Future.failedFuture(new IOException("media download failed: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : " " + e.getMessage().replaceAll("https?://\\S+", "<url>")))));
  }

  /** Whether the response says it is JSON: a platform's error answer rather than a file. */
  public static boolean isJson(HttpClientResponse response) {
    String type = response.getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json");
  }

  /** The whole body of a small answer; fails (and stops the transfer) when it is longer than {@code max} bytes. */
  public static Future<Buffer> readAtMost(HttpClientResponse response, int max) {
    Promise<Buffer> read = Promise.promise();
    Buffer all = Buffer.buffer();
    response.handler(chunk -> {
      if (all.length() + chunk.length() > max) {
        response.handler(null);
        response.request().reset();
        read.tryFail(new IOException("the answer is longer than " + max + " bytes"));
      } else {
        all.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(read::tryFail);
    response.endHandler(v -> read.tryComplete(all));
    response.resume();
    return read.future();
  }

  public Future<Void> close() {
    return client.close();
  }
}
