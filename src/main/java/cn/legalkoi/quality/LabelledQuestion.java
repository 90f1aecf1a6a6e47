package cn.legalkoi.quality;

import cn.legalkoi.knowledge.Utf8Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of the labelled question set: how an owner asked, and what the service should do.
 *
 * @param split "tune" rows may be used to fit weights and thresholds; "holdout" rows never are
 * @param kind the expected reply kind: answer, clarify, escalate, smalltalk or no_answer
 * @param docId the guidance that answers it, or "-"
 */
public record LabelledQuestion(String split, String kind, String docId, String question) {
  public static final String TUNE = "tune";
  public static final String HOLDOUT = "holdout";

  public boolean expectsGuidance() {
    return "answer".equals(kind) && !"-".equals(docId);
  }

  /** Reads the TSV file (header {@code split kind docId question}); a malformed row is an error naming its line. */
  public static List<LabelledQuestion> read(Path file) throws IOException {
    List<LabelledQuestion> rows = new ArrayList<>();
    String[] lines = Utf8Files.read(file).split("\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      if (cols.length != 4) {
        throw new IOException(file + " line " + (i + 1) + ": expected 4 tab-separated columns");
      }
      rows.add(new LabelledQuestion(cols[0], cols[1], cols[2], cols[3]));
    }
    return rows;
  }
}
