package cn.legalkoi.quality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A lay question with the statute articles a lawyer would cite for it, as search docIds ({@code 民法典#56}).
 *
 * @param qid the question's id in its set
 */
public record StatuteQuestion(String qid, String question, Set<String> relevant) {
  public static final String FIT = "fit";
  public static final String CHECK = "check";

  /**
   * The part of the set a question belongs to, fixed by its id: a quarter is set aside as {@code check} and
   * never used to choose settings.
   */
  public String part() {
    CRC32 crc = new CRC32();
    crc.update(qid.getBytes(StandardCharsets.UTF_8));
    return crc.getValue() % 4 == 0 ? CHECK : FIT;
  }

  /** Reads the TSV file (header {@code qid question relevant}, relevant docIds joined by {@code |}). */
  public static List<StatuteQuestion> read(Path file) throws IOException {
    return cn.legalkoi.search.StatuteExamples.readLabelled(file).stream()
        .map(row -> new StatuteQuestion(row.id(), row.question(), Set.copyOf(row.articles()))).toList();
  }
}
