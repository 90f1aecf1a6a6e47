package cn.legalkoi.proposals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes published guidance into {@code guidance/proposals/} of the first knowledge directory, and finds any
 * guidance file that already uses an id. A file appears whole or not at all, and an existing file is never
 * replaced. Blocking: call from a worker.
 */
final class GuidanceWriter {
  static final String SUBDIRECTORY = "proposals";

  private final List<Path> roots;
  private final Path directory;

  GuidanceWriter(List<Path> knowledgeDirs) {
    this.roots = List.copyOf(knowledgeDirs);
    this.directory = roots.isEmpty() ? null
        : roots.get(0).resolve("guidance").resolve(SUBDIRECTORY).toAbsolutePath().normalize();
  }

  /** Where a document with this id is written. The id has passed {@link PublishRequest}; this checks again. */
  Path target(String docId) {
    if (directory == null) {
      throw ProposalRefused.conflict("没有配置知识库目录（knowledgeBase.dirs），无法发布指引");
    }
    Path target = directory.resolve(docId + ".md").normalize();
    if (!target.getParent().equals(directory) || !target.getFileName().toString().equals(docId + ".md")) {
      throw new IllegalArgumentException("guidance id would leave " + directory);
    }
    return target;
  }

  /** A guidance file of any knowledge directory named for this id (the loader requires name and id to agree). */
  Optional<Path> existing(String docId) throws IOException {
    String name = docId + ".md";
    for (Path root : roots) {
      Path guidance = root.resolve("guidance");
      if (!Files.isDirectory(guidance)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(guidance)) {
        Optional<Path> found = walk.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Writes the text as UTF-8 beside the target, flushes it to disk and then links it into place: link(2) fails
   * rather than replace an existing file, where rename(2) would replace it silently.
   *
   * @throws FileAlreadyExistsException when a file with this name exists
   */
  Path write(String docId, String text) throws IOException {
    Path target = target(docId);
    Files.createDirectories(directory);
    Path temp = directory.resolve("." + docId + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw e;
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.move(temp, target); // no hard links here: a plain move, which also refuses an existing target
      }
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** A path as the admin knows it: under the knowledge directory as configured. */
  String display(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    for (Path root : roots) {
      Path base = root.toAbsolutePath().normalize();
      if (absolute.startsWith(base)) {
        return root.resolve(base.relativize(absolute)).toString();
      }
    }
    return file.toString();
  }

  /** Takes back a file written for a publish that could not be recorded. */
  void remove(Path written) throws IOException {
    Files.deleteIfExists(written);
  }
}
