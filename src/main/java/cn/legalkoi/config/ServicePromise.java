package cn.legalkoi.config;

/**
 * The team's public promise, the "315联动", in the words owners read: the one place its wording lives, built from
 * the configured deadlines ({@code sla} in the config).
 *
 * @param respondMinutes an adviser responds within this many minutes of working time
 * @param settleWorkingDays a simple matter is settled within this many working days
 * @param feedbackDays a complex matter gets feedback within this many days
 */
public record ServicePromise(int respondMinutes, int settleWorkingDays, int feedbackDays) {
  public static ServicePromise defaults() {
    return new ServicePromise(30, 1, 5);
  }

  /** "30分钟内响应": for offers of an adviser. */
  public String respondLine() {
    return respondMinutes + "分钟内响应";
  }

  /** The whole promise, told once a ticket exists. */
  public String fullText() {
    return respondMinutes + "分钟内会有人回复您；简单的事" + settleWorkingDays + "个工作日内办完，复杂的" + feedbackDays
        + "天内给您答复。";
  }

  /**
   * What the owner is told once their ticket exists: its number and the promise as times.
   *
   * @param respondBy when an adviser will first reply, e.g. "12月1日 09:30"
   * @param finalBy when a simple matter is settled, or a complex one gets feedback
   */
  public String ticketOpened(long ticketId, String respondBy, String finalBy, boolean complex) {
    return "已转给法治锦鲤顾问，工单号 " + ticketId + "。顾问最晚 " + respondBy + " 前回复您；"
        + (complex ? "复杂的事最晚 " + finalBy + " 前给您答复。" : "简单的事最晚 " + finalBy + " 前办完。");
  }

  /** Asked once with a new ticket: contact details, what they are for and how long they are kept (个人信息保护法第十七条). */
  public String contactRequest(int keptDays) {
    return "\n方便的话，回复手机号和企业名称，聊天窗口关闭后顾问也能联系到您（选填）。只用于本工单，办结" + keptDays
        + "天后删除。";
  }
}
