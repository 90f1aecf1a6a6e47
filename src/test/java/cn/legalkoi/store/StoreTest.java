package cn.legalkoi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.TestService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class StoreTest {
  static final Migration NOTES_1 = Migration.of("notes", 1, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
  static final Migration NOTES_2 = Migration.of("notes", 2, "ALTER TABLE notes ADD COLUMN author TEXT");

  @Test
  @DisplayName("each module's migrations are applied once, in order, and recorded; a reopen applies only new ones")
  void appliesMigrationsOnce(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("db.sqlite");
    try (Store store = Store.open(vertx, file, List.of(NOTES_1))) {
      assertTrue(store.wasCreated());
      TestService.await(store.run(c -> c.createStatement().executeUpdate("INSERT INTO notes(text) VALUES ('一')")));
    }
    try (Store store = Store.open(vertx, file, List.of(NOTES_2, NOTES_1))) {
      assertFalse(store.wasCreated());
      long rows = TestService.await(store.run(c -> {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM notes WHERE author IS NULL")) {
          return rs.next() ? rs.getLong(1) : -1L;
        }
      }));
      assertEquals(1, rows, "the row written before the second migration is kept");
    }
    assertEquals(List.of("notes 1", "notes 2"), applied(file));
  }

  @Test
  @DisplayName("a failing migration is rolled back, named in the error, and not recorded")
  void failingMigrationRollsBack(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("db.sqlite");
    Migration broken = Migration.of("broken", 1, "CREATE TABLE half (id INTEGER)", "THIS IS NOT SQL");
    SQLException e = assertThrows(SQLException.class, () -> Store.open(vertx, file, List.of(broken)));
    assertTrue(e.getMessage().contains("broken 1"), e.getMessage());
    assertEquals(List.of(), applied(file));
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet rs = c.getMetaData().getTables(null, null, "half", null)) {
      assertFalse(rs.next(), "the half-applied table was rolled back");
    }
  }

  @Test
  @DisplayName("units queued together share one commit, and a failing unit is undone alone: the others are kept")
  void failingUnitFailsAlone(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db.sqlite"), List.of(NOTES_1))) {
      List<Future<Integer>> units = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        units.add(store.run(c -> {
          c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (" + n + ", 'note')");
          if (n % 10 == 3) {
            c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (" + n + ", 'twice')");
          }
          return n;
        }));
      }
      TestService.await(Future.join(units).otherwiseEmpty());
      assertEquals(5, units.stream().filter(Future::failed).count(), "the units that broke the primary key");
      assertEquals(45, count(store, "SELECT count(*) FROM notes"));
      assertEquals(0, count(store, "SELECT count(*) FROM notes WHERE id % 10 = 3"), "a failed unit left nothing");
    }
    assertEquals(45, countOnDisk(dir.resolve("db.sqlite")), "what succeeded was committed");
  }

  @Test
  @DisplayName("a unit that manages its own transaction the JDBC way keeps working: commit keeps, rollback undoes")
  void unitWithItsOwnTransaction(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db.sqlite"), List.of(NOTES_1))) {
      Future<Void> other = store.run(c -> {
        c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (100, 'neighbour')");
        return null;
      });
      Future<Boolean> own = store.run(c -> {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (1, 'kept')");
        c.commit();
        c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (2, 'undone')");
        c.rollback();
        c.setAutoCommit(autoCommit);
        c.close();
        return autoCommit;
      });
      Future<Void> failing = store.run(c -> {
        c.setAutoCommit(false);
        c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (3, 'left open, then failed')");
        throw new SQLException("broken");
      });
      assertTrue(TestService.await(own), "a unit starts in auto-commit mode, as on a connection of its own");
      TestService.await(other);
      assertThrows(Exception.class, () -> TestService.await(failing));
      assertEquals(List.of("1 kept", "100 neighbour"), notes(store));
    }
  }

  @Test
  @DisplayName("what is queued when the store closes is still run and answered; later work is refused")
  void closeRunsWhatIsQueued(Vertx vertx, @TempDir Path dir) throws Exception {
    Store store = Store.open(vertx, dir.resolve("db.sqlite"), List.of(NOTES_1));
    List<Future<Integer>> units = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      units.add(store.run(c -> c.createStatement().executeUpdate("INSERT INTO notes(id, text) VALUES (" + n
          + ", 'x')")));
    }
    store.close();
    TestService.await(Future.all(units));
    assertEquals(20, countOnDisk(dir.resolve("db.sqlite")));
    assertThrows(Exception.class, () -> TestService.await(store.run(c -> 1)));
  }

  @Test
  @DisplayName("a statement reused from the writer's cache starts clean, and the same SQL twice at once is two statements")
  void reusedStatements(Vertx vertx, @TempDir Path dir) throws Exception {
    try (Store store = Store.open(vertx, dir.resolve("db.sqlite"), List.of(NOTES_1))) {
      for (int i = 1; i <= 3; i++) {
        int n = i;
        TestService.await(store.run(c -> {
          try (var st = c.prepareStatement("INSERT INTO notes(id, text) VALUES (?, ?)")) {
            st.setInt(1, n);
            if (n == 1) {
              st.setString(2, "first");
            }
            return st.executeUpdate();
          }
        }));
      }
      assertEquals(List.of("1 first", "2 null", "3 null"), notes(store), "no parameter left over from the last use");
      List<String> pairs = TestService.await(store.run(c -> {
        List<String> out = new ArrayList<>();
        String sql = "SELECT id FROM notes WHERE id >= ? ORDER BY id";
        try (var outer = c.prepareStatement(sql)) {
          outer.setInt(1, 2);
          try (ResultSet a = outer.executeQuery()) {
            while (a.next()) {
              try (var inner = c.prepareStatement(sql)) {
                inner.setInt(1, a.getInt(1));
                try (ResultSet b = inner.executeQuery()) {
                  while (b.next()) {
                    out.add(a.getInt(1) + "-" + b.getInt(1));
                  }
                }
              }
            }
          }
        }
        return out;
      }));
      assertEquals(List.of("2-2", "2-3", "3-3"), pairs);
    }
  }

  private static long count(Store store, String sql) throws Exception {
    return TestService.await(store.run(c -> {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        return rs.next() ? rs.getLong(1) : -1L;
      }
    }));
  }

  private static List<String> notes(Store store) throws Exception {
    return TestService.await(store.run(c -> {
      List<String> out = new ArrayList<>();
      try (ResultSet rs = c.createStatement().executeQuery("SELECT id, text FROM notes ORDER BY id")) {
        while (rs.next()) {
          out.add(rs.getLong(1) + " " + rs.getString(2));
        }
      }
      return out;
    }));
  }

  private static long countOnDisk(Path file) throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM notes")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private static List<String> applied(Path file) throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT module, version FROM schema_migrations ORDER BY module, version")) {
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getInt(2));
      }
      return out;
    }
  }
}
