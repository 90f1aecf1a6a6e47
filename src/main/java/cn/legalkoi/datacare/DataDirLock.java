package cn.legalkoi.datacare;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An operating-system lock on {@code dataDir/legal-koi.lock}, held by a running service for its lifetime and by a
 * restore while it writes: a restore never replaces a database a service has open, and the lock goes with the
 * process, so a killed service leaves nothing to clean up.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE = "legal-koi.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process (or another service in this one) holds it. Blocking. */
  public static Optional<DataDirLock> tryAcquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new DataDirLock(channel, lock));
      }
    } catch (OverlappingFileLockException e) {
      // held by this process
    }
    channel.close();
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
