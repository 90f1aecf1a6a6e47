package cn.legalkoi.chat;

/** An XML body that {@link SafeXml} refuses: too large, malformed, or carrying a DOCTYPE or entities. */
public final class XmlRejectedException extends RuntimeException {
  public XmlRejectedException(String message) {
    super(message);
  }

  public XmlRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
