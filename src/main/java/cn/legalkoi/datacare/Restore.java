package cn.legalkoi.datacare;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.search.IndexStore;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Puts a backup into the config's {@code dataDir}. Refuses while a service runs on that data (its lock is held, or
 * something answers on its port), when the backup's files do not match their checksums, and when the data directory
 * already holds a database, unless asked to move that aside. Blocking: the command line only.
 */
public final class Restore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  /** Why a restore did not start; nothing was changed. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private final AppConfig config;
  private final Clock clock;

  public Restore(AppConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Restores {@code from}; the lines to tell the admin. */
  public List<String> restore(Path from, boolean replace) throws Refused, IOException, SQLException {
    BackupManifest manifest = BackupManifest.read(from);
    List<String> problems = manifest.problems(from);
    if (!problems.isEmpty()) {
      throw new Refused("the backup does not match its manifest: " + String.join("; ", problems));
    }
    if (answers(config.http().host(), config.http().port())) {
      throw new Refused("a service answers on " + config.http().host() + ":" + config.http().port()
          + "; stop it first");
    }
    Path dataDir = config.dataDir();
    Optional<DataDirLock> lock = DataDirLock.tryAcquire(dataDir);
    if (lock.isEmpty()) {
      throw new Refused("a service holds " + dataDir + "; stop it first");
    }
    try (DataDirLock held = lock.get()) {
      return restoreHolding(from, manifest, replace);
    }
  }

  private List<String> restoreHolding(Path from, BackupManifest manifest, boolean replace)
      throws Refused, IOException, SQLException {
    Path dataDir = config.dataDir();
    Path database = config.databaseFile();
    List<Path> present = List.of(database, sibling(database, "-wal"), sibling(database, "-shm"), config.indexDir(),
        dataDir.resolve("files")).stream().filter(Files::exists).toList();
    List<String> told = new java.util.ArrayList<>();
    if (!present.isEmpty()) {
      if (!replace) {
        throw new Refused(dataDir + " already holds data; restore into a fresh dataDir, or pass --replace to move"
            + " it aside");
      }
      Path aside = dataDir.resolve("replaced-" + STAMP.format(clock.instant()));
      Files.createDirectories(aside);
      for (Path p : present) {
        Files.move(p, aside.resolve(p.getFileName()));
      }
      told.add("moved the data that was there to " + aside);
    }
    Files.copy(from.resolve(BackupManifest.DATABASE), database);
    checkIntegrity(database);
    String generation = manifest.indexGeneration();
    if (generation != null) {
      Path dir = config.indexDir().resolve(generation);
      Backup.copyTree(from.resolve(BackupManifest.INDEX).resolve(generation), dir, p -> true);
      new IndexStore(config.indexDir()).publish(dir);
    } else {
      told.add("the backup holds no index: the service builds one at start");
    }
    Path files = from.resolve(BackupManifest.FILES);
    if (Files.isDirectory(files)) {
      Backup.copyTree(files, dataDir.resolve("files"), p -> true);
    }
    JsonObject configs = manifest.json().getJsonObject("config", new JsonObject());
    String calendar = configs.getString("calendar");
    Path calendarFile = config.sla().calendarFile();
    if (calendar != null && !Files.exists(calendarFile)) {
      if (calendarFile.toAbsolutePath().getParent() != null) {
        Files.createDirectories(calendarFile.toAbsolutePath().getParent());
      }
      Files.copy(from.resolve(calendar), calendarFile);
      told.add("restored the calendar to " + calendarFile);
    } else if (calendar != null) {
      told.add("kept the calendar at " + calendarFile + "; the backup's copy is " + from.resolve(calendar));
    }
    told.add(0, "restored the backup of " + manifest.json().getString("createdAt") + " into " + dataDir);
    return told;
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private static void checkIntegrity(Path database) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      if (!"ok".equals(rs.getString(1))) {
        throw new IOException("the restored database fails its integrity check: " + rs.getString(1));
      }
    }
  }

  /** True when something accepts connections on the service's address (port 0: chosen at start, not checkable). */
  static boolean answers(String host, int port) {
    if (port <= 0) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
