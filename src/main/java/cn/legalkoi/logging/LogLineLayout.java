package cn.legalkoi.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One log line per event: a JSON object for log collectors, or a plain line for a developer's console. Either way
 * the message and any stack trace pass through {@link PersonalDataMask}, and the id of the HTTP request being
 * served, when there is one, goes with it.
 *
 * <pre>
 * {"time":"2026-11-29T12:00:00.123Z","level":"INFO","logger":"cn.legalkoi.web.RequestTracking","message":"GET /health 200 3 ms","requestId":"6f1c…"}
 * 2026-11-29T20:00:00.123+0800 [INFO] RequestTracking [6f1c…] - GET /health 200 3 ms
 * </pre>
 */
public final class LogLineLayout extends LayoutBase<ILoggingEvent> {
  private static final DateTimeFormatter PLAIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
      .withZone(ZoneId.systemDefault());

  private volatile boolean json = true;

  /** JSON lines (the default) or plain ones; set from logback.xml or {@link LogFormat}. */
  public void setJson(boolean json) {
    this.json = json;
  }

  public boolean isJson() {
    return json;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    String message = PersonalDataMask.mask(event.getFormattedMessage());
    String requestId = RequestIds.current().orElse(null);
    IThrowableProxy thrown = event.getThrowableProxy();
    String stack = thrown == null ? null : PersonalDataMask.mask(ThrowableProxyUtil.asString(thrown));
    return json ? jsonLine(event, message, requestId, stack) : plainLine(event, message, requestId, stack);
  }

  private static String jsonLine(ILoggingEvent event, String message, String requestId, String stack) {
    StringBuilder line = new StringBuilder(160 + message.length());
    line.append("{\"time\":\"").append(Instant.ofEpochMilli(event.getTimeStamp())).append('"');
    field(line, "level", event.getLevel().toString());
    field(line, "logger", event.getLoggerName());
    field(line, "message", message);
    if (requestId != null) {
      field(line, "requestId", requestId);
    }
    if (stack != null) {
      field(line, "stackTrace", stack);
    }
    return line.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
  }

  private static String plainLine(ILoggingEvent event, String message, String requestId, String stack) {
    String logger = event.getLoggerName();
    StringBuilder line = new StringBuilder(PLAIN_TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
        .append(" [").append(event.getLevel() == Level.WARN ? "WARN" : event.getLevel().toString()).append("] ")
        .append(logger.substring(logger.lastIndexOf('.') + 1));
    if (requestId != null) {
      line.append(" [").append(requestId).append(']');
    }
    line.append(" - ").append(message).append(CoreConstants.LINE_SEPARATOR);
    if (stack != null) {
      line.append(stack).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }

  private static void field(StringBuilder line, String name, String value) {
    line.append(",\"").append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < 0x20) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
