package cn.legalkoi.search;

import cn.legalkoi.knowledge.TextNormalizer;
import cn.legalkoi.knowledge.Utf8Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Questions an adviser has answered with article citations, used as evidence for new questions: a question close
 * in meaning to answered ones probably needs the articles they cited, even when it shares few words with them.
 * Lay questions rarely use the statute's wording, so this reaches articles that neither the words nor the
 * question's own meaning find.
 *
 * <p>Example, 3 neighbours, least similarity 0.6: a new question is closest to examples cited {民法典#577} at
 * similarity 0.9, {民法典#577, 民法典#584} at 0.8 and {劳动合同法#7} at 0.5; evidence 民法典#577 0.3 + 0.2 = 0.5,
 * 民法典#584 0.2, and none for 劳动合同法#7: an example less similar than 0.6 says nothing about the question.
 *
 * <p>Immutable; the vectors are L2-normalised, so a dot product is the cosine.
 */
public final class StatuteExamples {
  /** A labelled question: its id in the examples file, its vector and the docIds of the articles it cites. */
  public record Example(String id, float[] vector, List<String> articles) {
  }

  private static final StatuteExamples NONE = new StatuteExamples(List.of());

  private final List<Example> examples;

  public StatuteExamples(List<Example> examples) {
    this.examples = List.copyOf(examples);
  }

  public static StatuteExamples none() {
    return NONE;
  }

  /** One row of a labelled questions file: its id, the question, and the docIds of the articles it cites. */
  public record Labelled(String id, String question, List<String> articles) {
  }

  /** Reads a TSV file of labelled questions (header {@code qid question relevant}, docIds joined by {@code |}). */
  public static List<Labelled> readLabelled(Path file) throws IOException {
    List<Labelled> rows = new ArrayList<>();
    String[] lines = Utf8Files.read(file).split("\n");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cols = line.split("\t");
      if (cols.length != 3) {
        throw new IOException(file + " line " + (i + 1) + ": expected 3 tab-separated columns");
      }
      rows.add(new Labelled(cols[0], cols[1], List.of(cols[2].split("\\|"))));
    }
    return rows;
  }

  /** Reads a labelled questions file (see {@link #readLabelled}) and embeds its questions with {@code vectors}. */
  public static StatuteExamples read(Path file, Function<List<String>, List<float[]>> vectors) throws IOException {
    List<Labelled> rows = readLabelled(file);
    return of(rows.stream().map(Labelled::id).toList(), rows.stream().map(Labelled::question).toList(),
        rows.stream().map(Labelled::articles).toList(), vectors);
  }

  /**
   * Examples from parallel lists of ids, questions and cited docIds; the questions are embedded with
   * {@code vectors} as a search reads a question (widths and odd spaces folded). Blocking.
   */
  public static StatuteExamples of(List<String> ids, List<String> questions, List<List<String>> cited,
      Function<List<String>, List<float[]>> vectors) {
    List<float[]> embedded = vectors.apply(questions.stream().map(q -> TextNormalizer.normalize(q).strip()).toList());
    List<Example> examples = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      examples.add(new Example(ids.get(i), embedded.get(i), List.copyOf(cited.get(i))));
    }
    return new StatuteExamples(examples);
  }

  public boolean isEmpty() {
    return examples.isEmpty();
  }

  public int size() {
    return examples.size();
  }

  /** The same examples without the one of this id: a question must not learn from its own labels. */
  public StatuteExamples without(String id) {
    return new StatuteExamples(examples.stream().filter(e -> !e.id().equals(id)).toList());
  }

  /**
   * Evidence for articles from the {@code neighbours} examples most similar to the question: each adds how far its
   * cosine similarity exceeds {@code leastSimilarity} to every article it cites. Article docIds in no particular
   * order.
   */
  public Map<String, Float> evidence(float[] question, int neighbours, float leastSimilarity) {
    int k = Math.min(neighbours, examples.size());
    if (k == 0) {
      return Map.of();
    }
    float[] similarity = new float[examples.size()];
    for (int i = 0; i < similarity.length; i++) {
      similarity[i] = dot(question, examples.get(i).vector());
    }
    Integer[] order = new Integer[similarity.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(similarity[b], similarity[a]));
    Map<String, Float> evidence = new HashMap<>();
    for (int n = 0; n < k && similarity[order[n]] > leastSimilarity; n++) {
      float above = similarity[order[n]] - leastSimilarity;
      for (String article : examples.get(order[n]).articles()) {
        evidence.merge(article, above, Float::sum);
      }
    }
    return evidence;
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
