package cn.legalkoi.store;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.testing.PostgresCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every module relies on, on both stores: the same migrations and statements behave the same. */
@ExtendWith(VertxExtension.class)
class StoreContractTest {
  /** Written once, in SQLite's DDL, as the modules write theirs. */
  static final Migration EVENTS = Migration.of("events", 1,
      "CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, message_id TEXT NOT NULL,"
          + " at INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0, UNIQUE (source, message_id))",
      "CREATE INDEX events_at ON events(at) WHERE done = 0");
  static final Migration EVENTS_2 = Migration.of("events", 2, "ALTER TABLE events ADD COLUMN note TEXT");

  @TempDir
  Path dir;

  static Store open(Vertx vertx, String backend, Path dir, List<Migration> migrations) throws Exception {
    JsonObject json = new JsonObject().put("dataDir", dir.toString());
    if (backend.equals("postgres")) {
      json.put("database", PostgresCluster.shared().newDatabaseConfig());
    }
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    return Store.open(vertx, config, migrations);
  }

  private static long insertIgnoring(Store store, String source, String messageId, long at) throws Exception {
    return await(store.run(c -> {
      try (PreparedStatement st = c.prepareStatement("INSERT INTO events (source, message_id, at) VALUES (?, ?, ?)"
          + " ON CONFLICT DO NOTHING", PreparedStatement.RETURN_GENERATED_KEYS)) {
        st.setString(1, source);
        st.setString(2, messageId);
        st.setLong(3, at);
        if (st.executeUpdate() == 0) {
          return 0L;
        }
        try (ResultSet keys = st.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    }));
  }

  private static List<String> events(Store store) throws Exception {
    return await(store.run(c -> {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id, message_id, at FROM events ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getLong(3));
        }
      }
      return out;
    }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  @DisplayName("the same migrations, insert-or-ignore and generated keys work on both stores; times past 2038 fit")
  void sameStatementsOnBoth(String backend, Vertx vertx) throws Exception {
    long farFuture = 4_102_444_800_000L; // 2100-01-01, more than a 32-bit integer holds
    try (Store store = open(vertx, backend, dir, List.of(EVENTS_2, EVENTS))) {
      assertTrue(store.wasCreated());
      assertEquals(1, insertIgnoring(store, "wecom", "m1", farFuture));
      assertEquals(2, insertIgnoring(store, "wecom", "m2", 1));
      assertEquals(0, insertIgnoring(store, "wecom", "m1", 5), "a repeated message id is ignored, not an error");
      assertEquals(List.of("1 m1 " + farFuture, "2 m2 1"), events(store));
      String note = await(store.run(c -> {
        c.createStatement().executeUpdate("UPDATE events SET note = '第二次迁移' WHERE id = 1");
        try (ResultSet rs = c.createStatement().executeQuery("SELECT note FROM events WHERE id = 1")) {
          rs.next();
          return rs.getString(1);
        }
      }));
      assertEquals("第二次迁移", note, "the second migration's column takes Chinese text");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  @DisplayName("a unit is all or nothing, and one managing its own transaction keeps what it committed only")
  void transactionsOnBoth(String backend, Vertx vertx) throws Exception {
    try (Store store = open(vertx, backend, dir, List.of(EVENTS))) {
      Future<Void> failing = store.run(c -> {
        c.createStatement().executeUpdate("INSERT INTO events (source, message_id, at) VALUES ('a', 'half', 1)");
        throw new SQLException("broken after the first insert");
      });
      assertThrows(Exception.class, () -> await(failing));
      await(store.run(c -> {
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("INSERT INTO events (source, message_id, at) VALUES ('a', 'kept', 1)");
        c.commit();
        c.createStatement().executeUpdate("INSERT INTO events (source, message_id, at) VALUES ('a', 'undone', 1)");
        c.rollback();
        c.setAutoCommit(true);
        return null;
      }));
      assertEquals(List.of("kept"), events(store).stream().map(e -> e.split(" ")[1]).toList());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  @DisplayName("a lease is held by the node that took it, and renewed by it, on both stores")
  void leaseOnBoth(String backend, Vertx vertx) throws Exception {
    try (Store store = open(vertx, backend, dir, List.of())) {
      assertTrue(await(store.leases().hold("deadline-watch", java.time.Duration.ofMinutes(1))));
      assertTrue(await(store.leases().hold("deadline-watch", java.time.Duration.ofMinutes(1))), "renewed");
    }
  }

  @org.junit.jupiter.api.Test
  @DisplayName("on the embedded store a restarted node still holds the leases it took before (a daily job is not"
      + " locked out by its own earlier run); a clean stop's releaseAll frees them for anyone")
  void embeddedLeasesSurviveARestart(Vertx vertx) throws Exception {
    try (Store store = open(vertx, "sqlite", dir, List.of())) {
      assertTrue(await(store.leases().hold("retention", java.time.Duration.ofDays(2))));
    }
    try (Store again = open(vertx, "sqlite", dir, List.of())) {
      assertTrue(await(again.leases().hold("retention", java.time.Duration.ofDays(2))), "its own lease");
      await(again.leases().releaseAll());
      long left = await(again.<Long>run(c -> {
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM leases")) {
          rs.next();
          return rs.getLong(1);
        }
      }));
      assertEquals(0L, left);
    }
  }
}
