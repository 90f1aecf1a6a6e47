package cn.legalkoi.chat;

import cn.legalkoi.web.PageAsset;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.ext.web.Router;
import java.io.IOException;

/**
 * The owners' web chat: {@code GET /} is one page for a phone, with its script and style under {@code /static/}.
 * The page runs no inline script and loads nothing from elsewhere; the script puts every owner's, bot's and
 * adviser's text on the page as text, and the policy is the second line of defence. It talks to
 * {@link WebChatRoutes}. The files are read once, by {@link #fromClasspath} on a worker, and served from memory.
 */
public final class WebChatPage implements RouteModule {
  static final String POLICY = PageAsset.POLICY;

  private final PageAsset page;
  private final PageAsset script;
  private final PageAsset style;

  private WebChatPage(PageAsset page, PageAsset script, PageAsset style) {
    this.page = page;
    this.script = script;
    this.style = style;
  }

  /** Reads the page's files from the classpath: blocking, call on a worker. */
  public static WebChatPage fromClasspath() throws IOException {
    return new WebChatPage(PageAsset.html("chat.html"), PageAsset.script("chat.js"), PageAsset.style("chat.css"));
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/").handler(page::send);
    router.get("/index.html").handler(page::send);
    router.get("/static/chat.js").handler(script::send);
    router.get("/static/chat.css").handler(style::send);
  }
}
