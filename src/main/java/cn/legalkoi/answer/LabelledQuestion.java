package cn.legalkoi.answer;

import cn.legalkoi.knowledge.Utf8Files;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One labelled message: how an owner wrote, what it is, and what the service should do with it. The tune set
 * ({@value #TUNE_RESOURCE}, shipped) teaches the intent model and fits the thresholds; the holdout set is kept
 * with the tests and is never fitted on.
 *
 * @param kind the expected reply kind: answer, escalate, smalltalk or no_answer
 * @param docId the guidance that answers it (or that an escalation is about), or "-"
 * @param intent what the message is
 */
public record LabelledQuestion(String kind, String docId, Intent intent, String question) {
  public static final String TUNE_RESOURCE = "/labelled/tune.tsv";
  private static final String HEADER = "kind\tdocId\tintent\tquestion";

  public boolean expectsGuidance() {
    return "answer".equals(kind) && !"-".equals(docId);
  }

  /** The shipped tune set. */
  public static List<LabelledQuestion> tuneSet() throws IOException {
    try (InputStream in = LabelledQuestion.class.getResourceAsStream(TUNE_RESOURCE)) {
      if (in == null) {
        throw new IOException("the labelled tune set " + TUNE_RESOURCE + " is missing from the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), TUNE_RESOURCE);
    }
  }

  public static List<LabelledQuestion> read(Path file) throws IOException {
    return parse(Utf8Files.read(file), file.toString());
  }

  /** Parses the TSV text (header {@value #HEADER}); a malformed or contradictory row is an error naming its line. */
  public static List<LabelledQuestion> parse(String text, String source) throws IOException {
    String[] lines = text.split("\n");
    if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
      throw new IOException(source + ": the first line must be the header '" + HEADER.replace("\t", "\\t") + "'");
    }
    List<LabelledQuestion> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      String where = source + " line " + (i + 1) + ": ";
      if (cols.length != 4 || cols[3].isBlank()) {
        throw new IOException(where + "expected 4 tab-separated columns");
      }
      Intent intent;
      try {
        intent = Intent.fromWireName(cols[2]);
      } catch (IllegalArgumentException e) {
        throw new IOException(where + e.getMessage(), e);
      }
      if (!intent.expectedKind().equals(cols[0])) {
        throw new IOException(where + "intent " + cols[2] + " goes with kind " + intent.expectedKind() + ", not "
            + cols[0]);
      }
      rows.add(new LabelledQuestion(cols[0], cols[1], intent, cols[3].strip()));
    }
    return rows;
  }
}
