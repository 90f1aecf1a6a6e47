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
}
