package cn.legalkoi.chat.feishu;

/**
 * A Feishu API call that failed: Feishu's own result code and message, or {@link #NO_CODE} when there was no
 * answer with a code (timeout, refused connection, a body that is not Feishu's JSON). The message names the
 * operation, never the app secret or a token.
 */
public final class FeishuApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final int NO_CODE = -1;
  private static final int MAX_REASON_CHARS = 200;

  private final int code;

  FeishuApiException(String operation, int code, String reason) {
    super("Feishu " + operation + " failed: " + (code == NO_CODE ? "" : "code " + code + ": ") + shortened(reason));
    this.code = code;
  }

  public int code() {
    return code;
  }

  private static String shortened(String reason) {
    String text = reason == null ? "" : reason.strip();
    return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
  }
}
