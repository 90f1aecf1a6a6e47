package cn.legalkoi.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TicketAlertTest {
  static final OffsetDateTime DUE = OffsetDateTime.of(2026, 3, 6, 17, 30, 0, 0, ZoneOffset.ofHours(8));

  @Test
  @DisplayName("the console link is {publicBaseUrl}/console#/tickets/{number}, a trailing slash of the base ignored")
  void consoleLink() {
    assertEquals("https://koi.example.cn/console#/tickets/42", TicketAlert.consoleLink("https://koi.example.cn/", 42));
    TicketAlert alert = TicketAlert.atRisk(42, "税务", "财税组", TicketAlert.Milestone.FEEDBACK, DUE,
        "https://koi.example.cn");
    assertEquals("https://koi.example.cn/console#/tickets/42", alert.consoleLink());
    assertEquals("https://koi.example.cn/console", alert.consoleHomeLink());
  }

  @Test
  @DisplayName("a link to another ticket, or to anything but the console, is refused")
  void wrongLink() {
    assertThrows(IllegalArgumentException.class, () -> new TicketAlert(TicketAlert.Kind.NEW_TICKET, 42, null, "财税组",
        null, DUE, "https://koi.example.cn/console#/tickets/43"));
    assertThrows(IllegalArgumentException.class, () -> new TicketAlert(TicketAlert.Kind.NEW_TICKET, 42, null, "财税组",
        null, DUE, "https://koi.example.cn/guidance/42"));
  }

  @Test
  @DisplayName("labels that look like owner data (a phone number, a sentence, line breaks) are refused")
  void labelsAreShortNames() {
    for (String department : List.of("联系13812345678", "我的小饭馆被顾客投诉卖过期食品，市场监管局要罚我五万块钱，请问我应该怎么办才好呢谢谢",
        "财税组\n张三", " ")) {
      assertThrows(IllegalArgumentException.class,
          () -> TicketAlert.newTicket(1, "税务", department, DUE, "https://koi.example.cn"), department);
    }
    assertThrows(IllegalArgumentException.class,
        () -> TicketAlert.newTicket(1, "电话 021-6888 1234 5678", "财税组", DUE, "https://koi.example.cn"));
    assertEquals("2025年第3组", TicketAlert.newTicket(1, null, "2025年第3组", DUE, "https://koi.example.cn").department(),
        "a few digits are fine");
  }

  @Test
  @DisplayName("a risk or breach alert must name its milestone, and the number must be positive")
  void requiredFields() {
    assertThrows(IllegalArgumentException.class,
        () -> TicketAlert.breached(1, "税务", "财税组", null, DUE, "https://koi.example.cn"));
    assertThrows(IllegalArgumentException.class,
        () -> TicketAlert.newTicket(0, "税务", "财税组", DUE, "https://koi.example.cn"));
  }

  @Test
  @DisplayName("an at-risk alert names its milestone and deadline; Markdown marks in labels cannot make a link")
  void rendersAtRisk() {
    TicketAlert alert = TicketAlert.atRisk(42, "[税务](http://x)", "财税*组*", TicketAlert.Milestone.FEEDBACK, DUE,
        "https://koi.example.cn");
    assertEquals("#### 即将超时 #42\n"
        + "- 类别：税务http://x\n"
        + "- 部门：财税组\n"
        + "- 反馈时限：2026-03-06 17:30\n\n"
        + "[在控制台打开工单 #42](https://koi.example.cn/console#/tickets/42)", AlertMessages.text(alert));
  }

  @Test
  @DisplayName("a digest counts the alerts, lists their numbers, and links to the console")
  void rendersDigest() {
    List<TicketAlert> alerts = List.of(
        TicketAlert.newTicket(7, "税务", "财税组", DUE, "https://koi.example.cn"),
        TicketAlert.breached(8, "税务", "财税组", TicketAlert.Milestone.RESPOND, DUE, "https://koi.example.cn"));
    assertEquals("#### 另有 2 条工单提醒\n"
            + "提醒较多，已合并发送。另有 2 条工单提醒，请到控制台查看：\n"
            + "- 工单：#7（新工单）、#8（已超时）\n\n"
            + "[打开控制台](https://koi.example.cn/console)",
        AlertMessages.digest(AlertSettings.Platform.WECOM, alerts).getJsonObject("markdown").getString("content"));
  }
}
