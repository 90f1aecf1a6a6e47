package cn.legalkoi.testing;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The detector that fails tests for a blocked event loop, tried on an event loop blocked on purpose. */
class BlockedThreadDetectorTest {
  @Test
  @DisplayName("an event loop held past the limit is reported, with where it was held, and the report fails the test")
  void reportsABlockedEventLoop() throws Exception {
    Vertx vertx = TestVertx.create();
    CompletableFuture<Void> release = new CompletableFuture<>();
    try {
      vertx.runOnContext(v -> holdEventLoop(release));
      assertTrue(BlockedThreadLog.awaitReport(Duration.ofSeconds(30)), "Vert.x reported no blocked thread");
    } finally {
      release.complete(null);
      await(vertx.close());
    }
    // taken here, so the detector finds nothing left when this test ends
    AssertionError failure = assertThrows(AssertionError.class,
        () -> BlockedThreadDetector.failIfReported("during the deliberate block"));
    String report = failure.getMessage();
    assertTrue(report.contains("during the deliberate block"), report);
    assertTrue(report.contains("vert.x-eventloop-thread"), report);
    assertTrue(report.contains("has been blocked for"), report);
    assertTrue(report.contains("time limit is " + TestVertx.MAX_EVENT_LOOP_MILLIS + " ms"), report);
    assertTrue(report.contains(BlockedThreadDetectorTest.class.getName() + ".holdEventLoop"), report);
  }

  /** Blocks the calling event loop until the test has seen the report. */
  private static void holdEventLoop(CompletableFuture<Void> release) {
    try {
      release.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
