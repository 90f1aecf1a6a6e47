package cn.legalkoi.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies the config file's {@code logging} block once it is read: JSON or plain console lines ({@code json}), and
 * one line per HTTP request or none ({@code accessLog}).
 */
public final class LogFormat {
  /** The logger {@code cn.legalkoi.web.RequestTracking} writes each request's line to. */
  public static final String ACCESS_LOGGER = "cn.legalkoi.access";

  private LogFormat() {
  }

  public static void apply(boolean json, boolean accessLog) {
    useJson(json);
    logAccess(accessLog);
  }

  public static void logAccess(boolean on) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(ACCESS_LOGGER).setLevel(on ? ch.qos.logback.classic.Level.INFO
          : ch.qos.logback.classic.Level.WARN);
    }
  }

  public static void useJson(boolean json) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .iteratorForAppenders();
    while (appenders.hasNext()) {
      if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> out
          && out.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder
          && encoder.getLayout() instanceof LogLineLayout layout) {
        layout.setJson(json);
      }
    }
  }
}
