package cn.legalkoi.testing;

import io.vertx.core.internal.logging.LoggerFactory;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which Vert.x's blocked-thread checker reported a blocked thread: an event loop busy past
 * the short limit of {@link TestVertx}, or a worker past its own. Registered for every test class by
 * {@code META-INF/services} and {@code junit-platform.properties}. The checker reports a block while it lasts, so
 * the report falls in the test that caused it; a block in a class's set-up fails its next test, one in its
 * tear-down fails the class.
 */
public final class BlockedThreadDetector implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
    AfterAllCallback {
  static {
    // JUnit loads this extension before any test runs, so before Vert.x first logs and reads the property
    System.getProperties().putIfAbsent("vertx.logger-delegate-factory-class-name", BlockedThreadLog.class.getName());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LoggerFactory.getLogger(BlockedThreadLog.CHECKER_LOGGER); // makes Vert.x choose its logging now
    if (!BlockedThreadLog.isInstalled()) {
      throw new ExtensionConfigurationException("Vert.x does not log through " + BlockedThreadLog.class.getName()
          + " (vertx.logger-delegate-factory-class-name is " + System.getProperty("vertx.logger-delegate-factory-class-name")
          + "), so blocked event loops would go unnoticed");
    }
    failIfReported("before " + context.getDisplayName() + " started");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    failIfReported("in the set-up of " + context.getRequiredTestClass().getSimpleName() + " or after its previous test");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failIfReported("during " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    failIfReported("while " + context.getDisplayName() + " shut down");
  }

  /** Throws with every report kept since the last check, if there is one. */
  static void failIfReported(String when) {
    List<String> reports = BlockedThreadLog.drain();
    if (!reports.isEmpty()) {
      String last = reports.size() == 1 ? "" : "\n… and " + (reports.size() - 1) + " more reports, the last: "
          + reports.get(reports.size() - 1).lines().findFirst().orElse("");
      throw new AssertionError("Vert.x reported a blocked thread " + when + ":\n" + reports.get(0) + last);
    }
  }
}
