package cn.legalkoi.datacare;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.search.IndexStore;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;

/**
 * Writes one backup of a running (or stopped) service into an empty directory: a consistent copy of the database
 * ({@code VACUUM INTO}), the live index generation, the owners' files, the config and calendar files, and last the
 * {@link BackupManifest}. Index generations are never written to once published ({@link IndexStore}), so copying
 * the live one needs no pause; a reindex that retires it mid-copy makes the copy start again on its successor.
 * Blocking: run it on a worker or the command line.
 */
public final class Backup {
  static final String VERSION = "0.1";
  private static final int INDEX_ATTEMPTS = 3;

  /** How the database is copied: through the service's own writer, or a connection of the command's own. */
  @FunctionalInterface
  public interface DatabaseCopy {
    void copyTo(Path target) throws Exception;
  }

  private final AppConfig config;
  private final Optional<Path> configFile;
  private final Clock clock;

  public Backup(AppConfig config, Optional<Path> configFile, Clock clock) {
    this.config = config;
    this.configFile = configFile;
    this.clock = clock;
  }

  /** Copies the database file of a service that may be running in another process, as SQLite's snapshot of it. */
  public static DatabaseCopy fromFile(Path databaseFile) {
    return target -> {
      if (!Files.isRegularFile(databaseFile)) {
        throw new NoSuchFileException(databaseFile.toString(), null, "no database to back up");
      }
      cn.legalkoi.store.Store.copy(databaseFile, target);
    };
  }

  /** Writes the backup into {@code target}, which must be absent or empty; the manifest it wrote. */
  public BackupManifest write(DatabaseCopy database, Path target) throws Exception {
    if (Files.isDirectory(target)) {
      try (Stream<Path> children = Files.list(target)) {
        if (children.findAny().isPresent()) {
          throw new IOException(target + " is not empty: a backup goes into a new directory");
        }
      }
    }
    Files.createDirectories(target);
    database.copyTo(target.resolve(BackupManifest.DATABASE));
    String generation = copyLiveIndex(target.resolve(BackupManifest.INDEX));
    Path files = config.dataDir().resolve("files");
    if (Files.isDirectory(files)) {
      copyTree(files, target.resolve(BackupManifest.FILES), p -> !p.getFileName().toString().startsWith(".part-"));
    }
    JsonObject configs = new JsonObject();
    if (configFile.isPresent() && Files.isRegularFile(configFile.get())) {
      configs.put("file", copyConfig(configFile.get(), target, "application.json"));
    }
    if (Files.isRegularFile(config.sla().calendarFile())) {
      configs.put("calendar", copyConfig(config.sla().calendarFile(), target, "calendar.json"));
    }
    JsonObject manifest = new JsonObject()
        .put("createdAt", clock.instant().toString())
        .put("versions", versions(target.resolve(BackupManifest.DATABASE)))
        .put("indexGeneration", generation)
        .put("config", configs)
        .put("files", BackupManifest.describe(target));
    BackupManifest written = new BackupManifest(manifest);
    written.write(target);
    return written;
  }

  /** The live generation's directory name, or null when there is none yet. */
  private String copyLiveIndex(Path target) throws IOException {
    IndexStore index = new IndexStore(config.indexDir());
    for (int attempt = 1; ; attempt++) {
      Optional<Path> live = index.current();
      if (live.isEmpty()) {
        return null;
      }
      Path copy = target.resolve(live.get().getFileName().toString());
      try {
        copyTree(live.get(), copy, p -> true);
        return live.get().getFileName().toString();
      } catch (NoSuchFileException e) {
        // retired by a reindex while we copied it: its successor is live now
        IOUtils.rm(copy);
        if (attempt == INDEX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static String copyConfig(Path file, Path backup, String fallbackName) throws IOException {
    String name = file.getFileName() == null ? fallbackName : file.getFileName().toString();
    Path dir = backup.resolve(BackupManifest.CONFIG);
    Files.createDirectories(dir);
    Path target = dir.resolve(name);
    if (Files.exists(target)) {
      target = dir.resolve(fallbackName);
    }
    Files.copy(file, target);
    return BackupManifest.relative(backup, target);
  }

  /** Copies the regular files under {@code from} that {@code keep} accepts, keeping their relative paths. */
  static void copyTree(Path from, Path to, Predicate<Path> keep) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path file : walk.filter(Files::isRegularFile).filter(keep).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  private static JsonObject versions(Path database) throws SQLException {
    JsonObject schema = new JsonObject();
    String sqlite;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
        rs.next();
        sqlite = rs.getString(1);
      }
      try (ResultSet rs = st.executeQuery("SELECT module, max(version) FROM schema_migrations GROUP BY module")) {
        while (rs.next()) {
          schema.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    return new JsonObject().put("legalKoi", VERSION).put("sqlite", sqlite)
        .put("lucene", org.apache.lucene.util.Version.LATEST.toString()).put("schema", schema);
  }
}
