package cn.legalkoi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.TestService;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
