package cn.legalkoi.datacare;

import cn.legalkoi.Main;
import cn.legalkoi.config.AppConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backup} and {@code restore} on the command line. */
public final class DataCareCommands {
  private DataCareCommands() {
  }

  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = "Back up the database, the live index, the owners' files and the config, while the service runs.")
  public static final class BackupCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.ConfigOption options = new Main.ConfigOption();
    @Option(names = "--to", required = true, paramLabel = "DIR", description = "a new or empty directory")
    Path to;

    @Override
    public Integer call() throws Exception {
      AppConfig config = options.load();
      if (config.database().isPostgres()) {
        System.err.println("the database is PostgreSQL: back it up with pg_dump; this command copies the SQLite file");
        return 3;
      }
      Optional<Path> configFile = Optional.ofNullable(options.file()).or(() -> Optional.of(
          cn.legalkoi.config.ConfigLoader.DEFAULT_FILE));
      BackupManifest manifest = new Backup(config, configFile, Clock.systemUTC())
          .write(Backup.fromFile(config.databaseFile()), to);
      System.out.printf("backed up %d files into %s (index %s)%n", manifest.json().getJsonArray("files").size(), to,
          manifest.indexGeneration());
      return 0;
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restore a backup into the config's dataDir; the service must be stopped.")
  public static final class RestoreCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Main.ConfigOption options = new Main.ConfigOption();
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "a directory written by backup")
    Path from;
    @Option(names = "--replace", description = "move the dataDir's current database, index and files aside first")
    boolean replace;

    @Override
    public Integer call() throws Exception {
      AppConfig config = options.load();
      if (config.database().isPostgres()) {
        System.err.println("restore refused: the database is PostgreSQL; restore it with pg_restore");
        return 3;
      }
      try {
        new Restore(config, Clock.systemUTC()).restore(from, replace).forEach(System.out::println);
        return 0;
      } catch (Restore.Refused e) {
        System.err.println("restore refused: " + e.getMessage());
        return 3;
      }
    }
  }
}
