package cn.legalkoi.web;

import io.vertx.ext.web.Router;
import java.io.IOException;

/**
 * The advisers' console: {@code GET /console} is one page for a laptop or a phone, with its script and style under
 * {@code /static/}. Like the owners' chat it runs no inline script, loads nothing from elsewhere and puts every
 * text it is given on the page as text; it signs in with {@code /api/v1/auth/login} and then speaks to the tickets
 * and admin APIs with the bearer token. The files are read once, by {@link #fromClasspath} on a worker.
 */
public final class ConsolePage implements RouteModule {
  private final PageAsset page;
  private final PageAsset script;
  private final PageAsset style;

  private ConsolePage(PageAsset page, PageAsset script, PageAsset style) {
    this.page = page;
    this.script = script;
    this.style = style;
  }

  /** Reads the page's files from the classpath: blocking, call on a worker. */
  public static ConsolePage fromClasspath() throws IOException {
    return new ConsolePage(PageAsset.html("console.html"), PageAsset.script("console.js"),
        PageAsset.style("console.css"));
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/console").handler(page::send);
    router.get("/console/").handler(page::send);
    router.get("/static/console.js").handler(script::send);
    router.get("/static/console.css").handler(style::send);
  }
}
