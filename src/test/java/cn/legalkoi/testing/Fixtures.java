package cn.legalkoi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** Test knowledge bases: the small fixture written for tests, copied so each test may change its own. */
public final class Fixtures {
  public static final Path FIXTURE_KB = Path.of("src/test/resources/fixtures/kb");
  public static final Path SHIPPED_KB = Path.of("knowledge-base");
  /** What a match-everything query would find in the fixture: its 14 passages less the 2 of the outdated 2017 law. */
  public static final int SEARCHABLE_PASSAGES = 12;
  /** Shares no word with the fixture guidance it means (double-wages: 没签书面劳动合同要付二倍工资). */
  public static final String PARAPHRASE = "雇来的伙计没立字据，是不是得多给薪水";

  private Fixtures() {
  }

  public static Path copyKnowledgeBase(Path into) throws IOException {
    return copyTree(FIXTURE_KB, into.resolve("kb"));
  }

  /**
   * The one file in {@code dir} whose name contains {@code asciiPart}. Files are found by listing, never by
   * building a Chinese path from a string, which fails when the JVM's file-name encoding is not UTF-8 (LANG=C).
   */
  public static Path find(Path dir, String asciiPart) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> found = list.filter(p -> p.getFileName().toString().contains(asciiPart)).toList();
      if (found.size() != 1) {
        throw new IllegalStateException("expected one file like *" + asciiPart + "* in " + dir + ", found " + found);
      }
      return found.get(0);
    }
  }

  public static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p));
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }
}
