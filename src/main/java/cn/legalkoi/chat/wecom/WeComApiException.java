package cn.legalkoi.chat.wecom;

/**
 * A WeCom API call that WeCom refused, most often inside an HTTP 200: a non-zero {@code errcode} with its
 * {@code errmsg}. The message names the API, never the secret or the access token.
 */
public final class WeComApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The access token has expired (42001) or is not (or no longer) valid (40014): fetch a new one. */
  static final int EXPIRED_TOKEN = 42001;
  static final int INVALID_TOKEN = 40014;

  private final int errcode;
  private final String errmsg;

  WeComApiException(String api, int errcode, String errmsg) {
    super("WeCom " + api + " errcode " + errcode + ": " + errmsg);
    this.errcode = errcode;
    this.errmsg = errmsg;
  }

  public int errcode() {
    return errcode;
  }

  public String errmsg() {
    return errmsg;
  }

  /** Whether a fresh access token could make the same call succeed. */
  boolean isTokenRejected() {
    return errcode == EXPIRED_TOKEN || errcode == INVALID_TOKEN;
  }
}
