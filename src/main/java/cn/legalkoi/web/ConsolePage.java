package cn.legalkoi.web;

import io.vertx.ext.web.Router;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The advisers' console: {@code GET /console} is one page for a laptop or a phone, with its style and its script
 * (an ES module that imports the others under {@code /static/console/}) under {@code /static/}. Like the owners' chat
 * it runs no inline script, loads nothing from elsewhere and puts every text it is given on the page as text; it
 * signs in with {@code /api/v1/auth/login} and then speaks to the tickets and admin APIs with the bearer token. The
 * files are read once, by {@link #fromClasspath} on a worker, and served from memory.
 */
public final class ConsolePage implements RouteModule {
  /** The script's modules, each at {@code /static/console/NAME.js}. */
  static final List<String> MODULES = List.of("admin", "api", "deadlines", "dom", "words");

  private final PageAsset page;
  private final PageAsset script;
  private final PageAsset style;
  private final Map<String, PageAsset> modules;

  private ConsolePage(PageAsset page, PageAsset script, PageAsset style, Map<String, PageAsset> modules) {
    this.page = page;
    this.script = script;
    this.style = style;
    this.modules = modules;
  }

  /** Reads the page's files from the classpath: blocking, call on a worker. */
  public static ConsolePage fromClasspath() throws IOException {
    Map<String, PageAsset> modules = new LinkedHashMap<>();
    for (String name : MODULES) {
      modules.put(name, PageAsset.script("console/" + name + ".js"));
    }
    return new ConsolePage(PageAsset.html("console.html"), PageAsset.script("console.js"),
        PageAsset.style("console.css"), Map.copyOf(modules));
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/console").handler(page::send);
    router.get("/console/").handler(page::send);
    router.get("/static/console.js").handler(script::send);
    router.get("/static/console.css").handler(style::send);
    modules.forEach((name, module) -> router.get("/static/console/" + name + ".js").handler(module::send));
  }
}
