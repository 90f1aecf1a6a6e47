package cn.legalkoi.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;

/**
 * The on-disk layout of index generations under {@code dataDir/index}: one directory per generation and a
 * file {@code CURRENT} naming the live one. Publishing a generation replaces {@code CURRENT} atomically, so a
 * crash mid-build never leaves a half-written index live. Blocking: call it from a worker.
 */
public final class IndexStore {
  private static final String POINTER = "CURRENT";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final Path root;

  public IndexStore(Path root) {
    this.root = root;
  }

  /** The published generation, if one exists and its directory is still there. */
  public Optional<Path> current() throws IOException {
    Path pointer = root.resolve(POINTER);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    String name = Files.readString(pointer, StandardCharsets.UTF_8).strip();
    Path dir = root.resolve(name);
    return name.isEmpty() || !Files.isDirectory(dir) ? Optional.empty() : Optional.of(dir);
  }

  /** A fresh, empty directory for a generation about to be built. */
  public Path newGenerationDirectory() throws IOException {
    Files.createDirectories(root);
    String base = "gen-" + LocalDateTime.now().format(STAMP);
    Path dir = root.resolve(base);
    for (int i = 1; Files.exists(dir); i++) {
      dir = root.resolve(base + "-" + i);
    }
    return Files.createDirectory(dir);
  }

  public void publish(Path generation) throws IOException {
    Path tmp = root.resolve(POINTER + ".tmp");
    Files.writeString(tmp, generation.getFileName().toString(), StandardCharsets.UTF_8);
    try {
      Files.move(tmp, root.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, root.resolve(POINTER), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes generation directories other than those kept: builds that failed or were superseded. */
  public void removeAllBut(Set<Path> keep) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        if (Files.isDirectory(child) && child.getFileName().toString().startsWith("gen-") && !keep.contains(child)) {
          IOUtils.rm(child);
        }
      }
    }
  }

  public void discard(Path generation) throws IOException {
    IOUtils.rm(generation);
  }
}
