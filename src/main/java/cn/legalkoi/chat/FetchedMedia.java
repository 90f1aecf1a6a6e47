package cn.legalkoi.chat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file as a platform serves it: the body is paused until the reader attaches, so nothing is buffered here.
 *
 * @param contentType what the platform says it is (untrusted; may be empty)
 * @param length its Content-Length, or -1 when it gave none
 * @param fileName the name in its Content-Disposition (untrusted; for display only), or null
 * @param abort stops the transfer (closes the stream) when the reader wants no more of it
 */
public record FetchedMedia(String contentType, long length, String fileName, ReadStream<Buffer> body,
    Runnable abort) {
  private static final Pattern EXTENDED_NAME = Pattern.compile("filename\\*\\s*=\\s*(?i:utf-8)''([^;]+)");
  private static final Pattern PLAIN_NAME = Pattern.compile("filename\\s*=\\s*\"?([^\";]+)\"?");

  /** The body of an HTTP response, paused; aborting resets the request. */
  public static FetchedMedia of(HttpClientResponse response) {
    response.pause();
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = -1;
    try {
      declared = length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      // unknown length: only the bytes read count
    }
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    return new FetchedMedia(type == null ? "" : type, declared, fileName(response.getHeader("Content-Disposition")),
        response, () -> {
          // the reset comes back as an exception of the stream: expected, so not reported
          response.exceptionHandler(e -> { });
          response.request().reset();
        });
  }

  static String fileName(String disposition) {
    if (disposition == null) {
      return null;
    }
    Matcher extended = EXTENDED_NAME.matcher(disposition);
    if (extended.find()) {
      try {
        return URLDecoder.decode(extended.group(1).strip(), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    Matcher plain = PLAIN_NAME.matcher(disposition);
    return plain.find() ? plain.group(1).strip() : null;
  }
}
