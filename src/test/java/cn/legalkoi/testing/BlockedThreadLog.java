package cn.legalkoi.testing;

import io.vertx.core.logging.SLF4JLogDelegateFactory;
import io.vertx.core.spi.logging.LogDelegate;
import io.vertx.core.spi.logging.LogDelegateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Vert.x logging through SLF4J, as without this class, except that what Vert.x's blocked-thread checker reports is
 * also kept for {@link BlockedThreadDetector}. Vert.x takes its logging from the system property
 * {@code vertx.logger-delegate-factory-class-name}, read once, when Vert.x first logs; the detector sets it.
 */
public final class BlockedThreadLog implements LogDelegateFactory {
  /** Where Vert.x 5's checker writes "Thread … has been blocked for … ms, time limit is … ms". */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
  /** Enough of the blocked thread's stack to show which of our frames held it. */
  private static final int FRAMES = 25;

  private static final List<String> reports = new ArrayList<>();
  private static volatile boolean installed;

  private final SLF4JLogDelegateFactory slf4j = new SLF4JLogDelegateFactory();

  public BlockedThreadLog() {
    installed = true;
  }

  /** Whether Vert.x logs through this class. */
  static boolean isInstalled() {
    return installed;
  }

  /** Takes every report kept since the last call. */
  static synchronized List<String> drain() {
    List<String> taken = List.copyOf(reports);
    reports.clear();
    return taken;
  }

  /** Waits until a report is kept, without taking it; false when none came in time. */
  static synchronized boolean awaitReport(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (reports.isEmpty()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      BlockedThreadLog.class.wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private static synchronized void keep(Object message, Throwable where) {
    StringBuilder report = new StringBuilder(String.valueOf(message));
    if (where != null) {
      StackTraceElement[] frames = where.getStackTrace();
      for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
        report.append("\n\tat ").append(frames[i]);
      }
    }
    reports.add(report.toString());
    BlockedThreadLog.class.notifyAll();
  }

  @Override
  public boolean isAvailable() {
    return slf4j.isAvailable();
  }

  @Override
  public LogDelegate createDelegate(String name) {
    LogDelegate delegate = slf4j.createDelegate(name);
    return CHECKER_LOGGER.equals(name) ? new Keeping(delegate) : delegate;
  }

  /** The checker's logger: logs as usual, and keeps its warnings (the checker logs nothing else). */
  private static final class Keeping implements LogDelegate {
    private final LogDelegate log;

    Keeping(LogDelegate log) {
      this.log = log;
    }

    @Override
    public void warn(Object message) {
      keep(message, null);
      log.warn(message);
    }

    @Override
    public void warn(Object message, Throwable t) {
      keep(message, t);
      log.warn(message, t);
    }

    @Override
    public String implementation() {
      return log.implementation();
    }

    @Override
    public boolean isWarnEnabled() {
      return log.isWarnEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
      return log.isInfoEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
      return log.isDebugEnabled();
    }

    @Override
    public boolean isTraceEnabled() {
      return log.isTraceEnabled();
    }

    @Override
    public void error(Object message) {
      log.error(message);
    }

    @Override
    public void error(Object message, Throwable t) {
      log.error(message, t);
    }

    @Override
    public void info(Object message) {
      log.info(message);
    }

    @Override
    public void info(Object message, Throwable t) {
      log.info(message, t);
    }

    @Override
    public void debug(Object message) {
      log.debug(message);
    }

    @Override
    public void debug(Object message, Throwable t) {
      log.debug(message, t);
    }

    @Override
    public void trace(Object message) {
      log.trace(message);
    }

    @Override
    public void trace(Object message, Throwable t) {
      log.trace(message, t);
    }

    @Override
    public Object unwrap() {
      return log.unwrap();
    }
  }
}
