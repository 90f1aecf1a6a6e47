package cn.legalkoi.chat;

/** The platform no longer serves a file: its media id is invalid or has expired. Asking again will not help. */
public final class MediaGone extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MediaGone(String message) {
    super(message);
  }
}
