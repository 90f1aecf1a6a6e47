package cn.legalkoi.web;

import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.search.IndexService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** {@code GET /guidance/{id}}: one guidance document as a clean page for a phone, which chat replies link to. */
public final class GuidancePage implements RouteModule {
  private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,100}");
  private static final String CSS = "body{margin:0;background:#f6f7f9;color:#1f2329;"
      + "font:17px/1.7 -apple-system,'PingFang SC','Microsoft YaHei',sans-serif}"
      + "main{max-width:720px;margin:0 auto;padding:16px 18px 40px;background:#fff;min-height:100vh}"
      + "h1{font-size:22px;line-height:1.4;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;"
      + "padding-left:10px;border-left:4px solid #c8102e}.meta{color:#646a73;font-size:14px;margin:0 0 16px}"
      + ".short{background:#fff6f0;border-radius:10px;padding:12px 14px}.short h2{border:0;padding:0;margin-top:0}"
      + "ul,ol{padding-left:1.4em}li{margin:4px 0}.note{margin-top:32px;padding:12px 14px;background:#f2f3f5;"
      + "border-radius:10px;font-size:15px;color:#4e5969}a{color:#1456f0;word-break:break-all}";

  private final IndexService index;
  private final Parser parser = Parser.builder().build();
  private final HtmlRenderer renderer = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  public GuidancePage(IndexService index) {
    this.index = index;
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.get("/guidance/:id").handler(this::show);
  }

  void show(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !ID.matcher(id).matches()) {
      send(ctx, 404, notFound());
      return;
    }
    index.onLiveIndex(g -> g.guidance(id).map(this::render)).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      Optional<Optional<String>> page = result.result();
      if (page.isEmpty()) {
        send(ctx, 503, shell("请稍候", "<h1>请稍候</h1><p>知识库正在准备中，请过一会儿再打开。</p>"));
      } else {
        send(ctx, page.get().isPresent() ? 200 : 404, page.get().orElseGet(GuidancePage::notFound));
      }
    });
  }

  String render(GuidanceDocument doc) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(escape(doc.title())).append("</h1>")
        .append("<p class=\"meta\">").append(escape(doc.category()))
        .append(" · 依据自 ").append(doc.effective()).append(" 起施行的规定 · 复核于 ").append(doc.reviewed()).append("</p>");
    for (Map.Entry<String, String> section : doc.sections().entrySet()) {
      String html = "<h2>" + escape(section.getKey()) + "</h2>" + renderer.render(parser.parse(section.getValue()));
      body.append(section.getKey().equals(GuidanceDocument.SHORT_ANSWER)
          ? "<section class=\"short\">" + html + "</section>" : "<section>" + html + "</section>");
    }
    body.append("<p class=\"note\">本页为一般性法律指引，仅供参考，不构成正式法律意见；具体以有关部门意见和现行有效的法律文本为准。"
        + "如需顾问帮助，请在对话中回复“人工”，法治锦鲤顾问30分钟内响应。</p>");
    return shell(doc.title(), body.toString());
  }

  private static String notFound() {
    return shell("没有找到", "<h1>没有找到这篇指引</h1><p>链接可能已经更新。请回到对话中重新提问，或回复“人工”联系顾问。</p>");
  }

  private static String shell(String title, String body) {
    return "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        + "<title>" + escape(title) + " · 法治锦鲤</title><style>" + CSS + "</style></head><body><main>"
        + body + "</main></body></html>";
  }

  private static void send(RoutingContext ctx, int status, String html) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(html);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
