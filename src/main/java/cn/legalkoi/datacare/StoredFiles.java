package cn.legalkoi.datacare;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Deletes owners' files under {@code dataDir/files} once the rows naming them are committed as erased. */
final class StoredFiles {
  private StoredFiles() {
  }

  /** The number of files deleted; a path that would leave the directory is skipped. */
  static Future<Integer> delete(Vertx vertx, Path filesDir, List<String> storedPaths) {
    if (storedPaths.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(() -> {
      Path root = filesDir.toAbsolutePath().normalize();
      int deleted = 0;
      for (String stored : storedPaths) {
        Path file = root.resolve(stored).normalize();
        if (file.startsWith(root) && !file.equals(root)) {
          try {
            deleted += Files.deleteIfExists(file) ? 1 : 0;
          } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(StoredFiles.class).warn("Could not delete {}: {}", file, e.toString());
          }
        }
      }
      return deleted;
    }, false);
  }
}
