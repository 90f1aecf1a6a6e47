package cn.legalkoi.gaps;

import cn.legalkoi.answer.ExampleSimilarity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Unmet questions grouped by similar meaning, largest group first. Identical texts are one item; items are
 * taken oldest first and each joins the group it is most alike on average (average linkage) when that average
 * reaches the threshold, or starts a new group. Deterministic, and quadratic in the distinct texts: callers cap
 * how many they pass. CPU-bound (and blocking when the similarity embeds): run on a worker.
 */
final class QuestionGroups {
  static final int EXAMPLES = 5;

  /** One group: its most central question first among its distinct texts. */
  record Group(String representative, int count, Map<Outcome, Integer> outcomes, List<String> examples,
      long firstSeen, long lastSeen) {
  }

  private record Text(String text, List<UnmetQuestion> asked) {
    long first() {
      return asked.stream().mapToLong(UnmetQuestion::askedAt).min().orElse(0);
    }

    long last() {
      return asked.stream().mapToLong(UnmetQuestion::askedAt).max().orElse(0);
    }
  }

  private QuestionGroups() {
  }

  /**
   * @param similarity builds the representation of the distinct texts (character grams, or meaning)
   * @param threshold least average similarity to join a group
   */
  static List<Group> of(List<UnmetQuestion> questions, Function<List<String>, ExampleSimilarity> similarity,
      double threshold) {
    Map<String, List<UnmetQuestion>> byText = new LinkedHashMap<>();
    questions.stream().sorted(Comparator.comparingLong(UnmetQuestion::askedAt))
        .forEach(q -> byText.computeIfAbsent(q.text(), t -> new ArrayList<>()).add(q));
    List<Text> texts = byText.entrySet().stream().map(e -> new Text(e.getKey(), e.getValue())).toList();
    if (texts.isEmpty()) {
      return List.of();
    }
    ExampleSimilarity sims = similarity.apply(texts.stream().map(Text::text).toList());
    List<List<Integer>> clusters = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      double[] row = sims.amongExamples(i);
      int best = -1;
      double bestAverage = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < clusters.size(); c++) {
        double sum = 0;
        for (int member : clusters.get(c)) {
          sum += row[member];
        }
        double average = sum / clusters.get(c).size();
        if (average > bestAverage) {
          bestAverage = average;
          best = c;
        }
      }
      if (best >= 0 && bestAverage >= threshold) {
        clusters.get(best).add(i);
      } else {
        clusters.add(new ArrayList<>(List.of(i)));
      }
    }
    return clusters.stream().map(members -> group(members, texts, sims))
        .sorted(Comparator.comparingInt(Group::count).reversed().thenComparing(Comparator.comparingLong(Group::lastSeen)
            .reversed()))
        .toList();
  }

  private static Group group(List<Integer> members, List<Text> texts, ExampleSimilarity sims) {
    // the most central: the highest similarity to the group's questions, each counted as often as it was asked
    int central = members.get(0);
    double bestCentrality = Double.NEGATIVE_INFINITY;
    for (int i : members) {
      double[] row = members.size() == 1 ? null : sims.amongExamples(i);
      double centrality = 0;
      for (int m : members) {
        centrality += (m == i ? 1.0 : row[m]) * texts.get(m).asked().size();
      }
      if (centrality > bestCentrality) {
        bestCentrality = centrality;
        central = i;
      }
    }
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, 0);
    }
    int count = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int m : members) {
      Text t = texts.get(m);
      count += t.asked().size();
      first = Math.min(first, t.first());
      last = Math.max(last, t.last());
      t.asked().forEach(q -> q.outcomes().forEach(o -> outcomes.merge(o, 1, Integer::sum)));
    }
    int representative = central;
    List<String> examples = new ArrayList<>();
    examples.add(texts.get(central).text());
    members.stream().filter(m -> m != representative)
        .sorted(Comparator.comparingInt((Integer m) -> texts.get(m).asked().size()).reversed()
            .thenComparing(Comparator.comparingLong((Integer m) -> texts.get(m).last()).reversed()))
        .limit(EXAMPLES - 1)
        .forEach(m -> examples.add(texts.get(m).text()));
    return new Group(texts.get(central).text(), count, outcomes, List.copyOf(examples), first, last);
  }
}
