package cn.legalkoi.alerts;

import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Ticket alerts as group-robot messages, in Chinese Markdown. A new ticket for example reads
 * <pre>
 * #### 新工单 #1024
 * - 类别：劳动用工
 * - 部门：劳动人事组
 * - 响应时限：2026-03-02 10:30
 *
 * [在控制台打开工单 #1024](https://koi.example.cn/console#/tickets/1024)
 * </pre>
 * DingTalk takes {@code {"msgtype":"markdown","markdown":{"title","text"}}} (the title is what its notification
 * shows); a WeCom group robot takes {@code {"msgtype":"markdown","markdown":{"content"}}}. Only the alert's own
 * fields are rendered, so nothing about the owner can appear.
 */
final class AlertMessages {
  private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  /** Ticket numbers a digest lists before it only counts them: keeps it well under the platforms' size limits. */
  static final int DIGEST_NUMBERS = 30;

  private AlertMessages() {
  }

  static JsonObject message(AlertSettings.Platform platform, TicketAlert alert) {
    return markdown(platform, title(alert), text(alert));
  }

  /** One message standing for several alerts the robot's rate limit kept back. */
  static JsonObject digest(AlertSettings.Platform platform, List<TicketAlert> alerts) {
    String title = "另有 " + alerts.size() + " 条工单提醒";
    String numbers = alerts.stream().limit(DIGEST_NUMBERS).map(a -> "#" + a.number() + "（" + a.kind().label() + "）")
        .collect(Collectors.joining("、"));
    String more = alerts.size() > DIGEST_NUMBERS ? " 等" : "";
    String text = "#### " + title + "\n"
        + "提醒较多，已合并发送。另有 " + alerts.size() + " 条工单提醒，请到控制台查看：\n"
        + "- 工单：" + numbers + more + "\n\n"
        + "[打开控制台](" + alerts.get(alerts.size() - 1).consoleHomeLink() + ")";
    return markdown(platform, title, text);
  }

  static String title(TicketAlert alert) {
    return alert.kind().label() + " #" + alert.number();
  }

  static String text(TicketAlert alert) {
    StringBuilder text = new StringBuilder("#### ").append(title(alert)).append('\n');
    text.append("- 类别：").append(alert.category() == null || alert.category().isBlank()
        ? "未分类" : plain(alert.category())).append('\n');
    text.append("- 部门：").append(plain(alert.department())).append('\n');
    String milestone = alert.milestone() == null ? "时限" : alert.milestone().label();
    text.append("- ").append(milestone).append('：').append(DEADLINE.format(alert.deadline()));
    if (alert.kind() == TicketAlert.Kind.BREACHED) {
      text.append("（已过）");
    }
    text.append("\n\n[在控制台打开工单 #").append(alert.number()).append("](").append(alert.consoleLink()).append(')');
    return text.toString();
  }

  private static JsonObject markdown(AlertSettings.Platform platform, String title, String text) {
    JsonObject markdown = platform == AlertSettings.Platform.DINGTALK
        ? new JsonObject().put("title", title).put("text", text)
        : new JsonObject().put("content", text);
    return new JsonObject().put("msgtype", "markdown").put("markdown", markdown);
  }

  /** A label as literal text: Markdown's marks would otherwise restyle it or turn it into a link. */
  private static String plain(String label) {
    return label.replaceAll("[\\\\`*_\\[\\]()#>!<|~]", "");
  }
}
