package cn.legalkoi.gaps;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.answer.ExampleSimilarity;
import cn.legalkoi.semantic.Embedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The grouping thresholds against hand-labelled paraphrase pairs: each threshold in {@link QuestionSimilarity}
 * must classify the pairs (same need or not) within a point of the best any threshold does, and lie inside the
 * range of best thresholds. The sweep and the pairs the chosen threshold gets wrong are printed, for the README's numbers.
 */
class UnmetThresholdTest {
  private static final Path PAIRS = Path.of("src/test/resources/gaps/paraphrase-pairs.tsv");

  private record Pair(boolean same, String a, String b) {
  }

  private record Sweep(double bestAccuracy, double lowest, double highest, double accuracyAtChosen) {
  }

  static List<Pair> pairs() throws IOException {
    List<Pair> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(PAIRS, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t");
      pairs.add(new Pair(cols[0].equals("same"), cols[1], cols[2]));
    }
    return pairs;
  }

  /** Similarity of each pair, with the representation built over all the pairs' questions as a view builds it. */
  private static double[] similarities(List<Pair> pairs, QuestionSimilarity similarity) {
    List<String> texts = pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.a(), p.b())).distinct().toList();
    ExampleSimilarity sims = similarity.representation().apply(texts);
    double[] out = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      out[i] = sims.amongExamples(texts.indexOf(pairs.get(i).a()))[texts.indexOf(pairs.get(i).b())];
    }
    return out;
  }

  private static Sweep sweep(String name, List<Pair> pairs, double[] sims, double chosen) {
    double best = 0;
    double lowest = Double.NaN;
    double highest = Double.NaN;
    double atChosen = accuracy(pairs, sims, chosen);
    StringBuilder table = new StringBuilder(name + " threshold sweep (accuracy on " + pairs.size() + " pairs):\n");
    for (int step = 0; step <= 100; step++) {
      double t = step / 100.0;
      double acc = accuracy(pairs, sims, t);
      if (step % 5 == 0) {
        table.append(String.format(Locale.ROOT, "  %.2f %.3f%n", t, acc));
      }
      if (acc > best + 1e-9) {
        best = acc;
        lowest = t;
        highest = t;
      } else if (Math.abs(acc - best) < 1e-9) {
        highest = t;
      }
    }
    table.append(String.format(Locale.ROOT, "  best %.3f for thresholds %.2f-%.2f; chosen %.2f gives %.3f%n", best, lowest,
        highest, chosen, atChosen));
    for (int i = 0; i < pairs.size(); i++) {
      if ((sims[i] >= chosen) != pairs.get(i).same()) {
        table.append(String.format(Locale.ROOT, "  wrong at %.2f: %s %.3f %s / %s%n", chosen,
            pairs.get(i).same() ? "same" : "different", sims[i], pairs.get(i).a(), pairs.get(i).b()));
      }
    }
    System.out.print(table);
    return new Sweep(best, lowest, highest, atChosen);
  }

  private static double accuracy(List<Pair> pairs, double[] sims, double threshold) {
    int right = 0;
    for (int i = 0; i < pairs.size(); i++) {
      if ((sims[i] >= threshold) == pairs.get(i).same()) {
        right++;
      }
    }
    return right / (double) pairs.size();
  }

  private static void assertChosenWell(Sweep s, double chosen) {
    assertTrue(s.accuracyAtChosen() >= s.bestAccuracy() - 0.01, s.toString());
    assertTrue(chosen >= s.lowest() - 1e-9 && chosen <= s.highest() + 1e-9, s.toString());
  }

  @Test
  @DisplayName("the character threshold classifies the labelled paraphrase pairs as well as the best threshold does")
  void characterThreshold() throws IOException {
    List<Pair> pairs = pairs();
    Sweep s = sweep("characters", pairs, similarities(pairs, QuestionSimilarity.byCharacters()),
        QuestionSimilarity.CHARACTER_THRESHOLD);
    assertChosenWell(s, QuestionSimilarity.CHARACTER_THRESHOLD);
  }

  @Test
  @DisplayName("the meaning threshold classifies the labelled paraphrase pairs as well as the best threshold does")
  void meaningThreshold() throws IOException {
    List<Pair> pairs = pairs();
    try (Embedder embedder = new Embedder(1)) {
      Sweep s = sweep("meaning", pairs, similarities(pairs, QuestionSimilarity.byMeaning(embedder::embedAll)),
          QuestionSimilarity.MEANING_THRESHOLD);
      assertChosenWell(s, QuestionSimilarity.MEANING_THRESHOLD);
    }
  }
}
