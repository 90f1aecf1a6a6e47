package cn.legalkoi.chat.dingtalk;

/**
 * A DingTalk call that failed: the HTTP status (0 when no answer came) and DingTalk's own code and message, never a
 * secret or token.
 */
public final class DingTalkApiException extends RuntimeException {
  private final int status;
  private final String code;

  DingTalkApiException(String operation, int status, String code, String message) {
    super("DingTalk " + operation + " failed" + (status > 0 ? " (HTTP " + status + ")" : "")
        + (code.isEmpty() ? "" : ": " + code) + (message.isEmpty() ? "" : " " + message));
    this.status = status;
    this.code = code;
  }

  /** DingTalk no longer takes the access token the call carried. */
  boolean isTokenRejected() {
    return status == 401 || "InvalidAuthentication".equals(code);
  }
}
