package cn.legalkoi.metrics;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.ChatModule;
import cn.legalkoi.store.Store;
import cn.legalkoi.testing.TestVertx;
import cn.legalkoi.tickets.TicketsModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database probe behind {@code /health}: shared for a second, so callers cannot make it cost more. */
class DatabaseReadingsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  Store store;
  final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };

  @BeforeEach
  void open() throws Exception {
    vertx = TestVertx.create();
    store = await(vertx.executeBlocking(() -> Store.open(vertx, dir.resolve("db.sqlite"),
        Stream.of(ChatModule.migrations(), TicketsModule.migrations()).flatMap(List::stream).toList())));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.executeBlocking(() -> {
      store.close();
      return null;
    }));
    await(vertx.close());
  }

  @Test
  @DisplayName("any number of /health calls within a second share one probe of the database; the next second"
      + " probes afresh, so a database that stops answering shows within seconds")
  void oneProbeASecond() throws Exception {
    DatabaseReadings readings = new DatabaseReadings(vertx, store, clock);
    Future<DatabaseReadings.Reading> first = readings.probe(Duration.ofSeconds(2));
    for (int i = 0; i < 100; i++) {
      assertSame(first, readings.probe(Duration.ofSeconds(2)), "call " + i + " shares the probe");
    }
    assertEquals(0, await(first).outboxPending());
    now.addAndGet(999);
    assertSame(first, readings.probe(Duration.ofSeconds(2)));
    now.addAndGet(1);
    Future<DatabaseReadings.Reading> second = readings.probe(Duration.ofSeconds(2));
    assertNotSame(first, second, "a second later the database is asked again");
    assertEquals(0, await(second).outboxFailed());

    store.close();
    assertTrue(readings.probe(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture()
        .handle((r, e) -> r).get() != null, "within the second, the last answer still stands");
    now.addAndGet(1_000);
    Future<DatabaseReadings.Reading> gone = readings.probe(Duration.ofSeconds(2));
    assertTrue(gone.toCompletionStage().toCompletableFuture().handle((r, e) -> e != null).get(),
        "a second later the closed database is seen");
  }
}
