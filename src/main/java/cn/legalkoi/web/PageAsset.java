package cn.legalkoi.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of a page (its HTML, script or style), read once from the classpath and served from memory under the
 * pages' policy, with an ETag so that a browser revalidates it instead of downloading it again.
 */
public record PageAsset(String contentType, Buffer body, String etag) {
  /**
   * What every page may do: run and style only its own files and talk only to this service. No inline script, no
   * framing, nothing from elsewhere; a page that puts text on screen as text never needs more.
   */
  public static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String RESOURCES = "/web/";

  /** Reads {@code /web/name} from the classpath: blocking, call on a worker. */
  public static PageAsset read(String name, String contentType) throws IOException {
    try (InputStream in = PageAsset.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("the page file " + RESOURCES + name + " is missing from the classpath");
      }
      byte[] bytes = in.readAllBytes();
      return new PageAsset(contentType, Buffer.buffer(bytes), etagOf(bytes));
    }
  }

  public static PageAsset html(String name) throws IOException {
    return read(name, "text/html; charset=utf-8");
  }

  public static PageAsset script(String name) throws IOException {
    return read(name, "text/javascript; charset=utf-8");
  }

  public static PageAsset style(String name) throws IOException {
    return read(name, "text/css; charset=utf-8");
  }

  private static String etagOf(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends the file with the policy and its ETag, or 304 when the browser already has this version. */
  public void send(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", contentType)
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("ETag", etag);
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().end(body);
    }
  }
}
