package cn.legalkoi.chat;

import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The owners' web chat: {@code GET /} is one page for a phone, with its script and style under {@code /static/}.
 * The page runs no inline script and loads nothing from elsewhere; the script puts every owner's, bot's and
 * adviser's text on the page as text, and the policy is the second line of defence. It talks to
 * {@link WebChatRoutes}. The files are read once, by {@link #fromClasspath} on a worker, and served from memory.
 */
public final class WebChatPage implements RouteModule {
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
      + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String RESOURCES = "/web/";

  private final Asset page;
  private final Asset script;
  private final Asset style;

  /** One file as served, with an ETag so that a phone revalidates it instead of downloading it again. */
  private record Asset(String contentType, Buffer body, String etag) {
    static Asset of(String contentType, byte[] bytes) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        return new Asset(contentType, Buffer.buffer(bytes), "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private WebChatPage(Asset page, Asset script, Asset style) {
    this.page = page;
    this.script = script;
    this.style = style;
  }

  /** Reads the page's files from the classpath: blocking, call on a worker. */
  public static WebChatPage fromClasspath() throws IOException {
    return new WebChatPage(Asset.of("text/html; charset=utf-8", read("chat.html")),
        Asset.of("text/javascript; charset=utf-8", read("chat.js")),
        Asset.of("text/css; charset=utf-8", read("chat.css")));
  }

  private static byte[] read(String name) throws IOException {
    try (InputStream in = WebChatPage.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("the web chat's " + RESOURCES + name + " is missing from the classpath");
      }
      return in.readAllBytes();
    }
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/").handler(ctx -> send(ctx, page));
    router.get("/index.html").handler(ctx -> send(ctx, page));
    router.get("/static/chat.js").handler(ctx -> send(ctx, script));
    router.get("/static/chat.css").handler(ctx -> send(ctx, style));
  }

  private static void send(RoutingContext ctx, Asset asset) {
    ctx.response()
        .putHeader("Content-Type", asset.contentType())
        .putHeader("Content-Security-Policy", POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("ETag", asset.etag());
    if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().end(asset.body());
    }
  }
}
