package cn.legalkoi.answer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The characters and character pairs of a message as indicator features, for a linear model to learn which of
 * them tell one intent from another (仲裁, 不服, 帮我 against 怎么算, 要不要), where the nearest examples mostly
 * tell the topic. Only grams found in at least two examples count.
 */
final class CueGrams {
  private final Map<String, Integer> index = new HashMap<>();

  CueGrams(List<String> texts) {
    Map<String, Integer> docFreq = new HashMap<>();
    for (String text : texts) {
      CharGramSimilarity.grams(text).keySet().forEach(g -> docFreq.merge(g, 1, Integer::sum));
    }
    docFreq.forEach((g, df) -> {
      if (df >= 2) {
        index.put(g, index.size());
      }
    });
  }

  int size() {
    return index.size();
  }

  /** The indices of the text's known grams, ascending. */
  int[] of(String text) {
    TreeSet<Integer> found = new TreeSet<>();
    for (String g : CharGramSimilarity.grams(text).keySet()) {
      Integer i = index.get(g);
      if (i != null) {
        found.add(i);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }
}
