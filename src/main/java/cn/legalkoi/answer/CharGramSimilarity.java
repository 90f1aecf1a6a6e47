package cn.legalkoi.answer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Examples compared by their characters: TF-IDF over single characters and character pairs, cosine. What the
 * intent model reads when semantic retrieval is off; cheap (an inverted list per character gram).
 */
public final class CharGramSimilarity implements ExampleSimilarity {
  private final List<Map<String, Double>> examples;
  private final Map<String, Double> idf;
  private final Map<String, List<Posting>> postings = new HashMap<>();

  private record Posting(int example, double weight) {
  }

  public CharGramSimilarity(List<String> texts) {
    Map<String, Integer> docFreq = new HashMap<>();
    List<Map<String, Integer>> counts = new ArrayList<>();
    for (String text : texts) {
      Map<String, Integer> grams = grams(text);
      counts.add(grams);
      grams.keySet().forEach(g -> docFreq.merge(g, 1, Integer::sum));
    }
    Map<String, Double> weights = new HashMap<>();
    docFreq.forEach((g, df) -> weights.put(g, Math.log(1 + texts.size() / (double) df)));
    this.idf = weights;
    this.examples = new ArrayList<>();
    for (int i = 0; i < counts.size(); i++) {
      Map<String, Double> v = vector(counts.get(i));
      examples.add(v);
      int example = i;
      v.forEach((g, w) -> postings.computeIfAbsent(g, k -> new ArrayList<>()).add(new Posting(example, w)));
    }
  }

  @Override
  public int size() {
    return examples.size();
  }

  @Override
  public double[] toExamples(String text) {
    return dot(vector(grams(text)));
  }

  @Override
  public double[] amongExamples(int i) {
    return dot(examples.get(i));
  }

  private double[] dot(Map<String, Double> query) {
    double[] sims = new double[examples.size()];
    query.forEach((g, w) -> {
      for (Posting p : postings.getOrDefault(g, List.of())) {
        sims[p.example()] += w * p.weight();
      }
    });
    return sims;
  }

  /** L2-normalised TF-IDF; grams no example has carry no weight. */
  private Map<String, Double> vector(Map<String, Integer> grams) {
    Map<String, Double> v = new HashMap<>();
    double norm = 0;
    for (Map.Entry<String, Integer> e : grams.entrySet()) {
      double w = (1 + Math.log(e.getValue())) * idf.getOrDefault(e.getKey(), 0.0);
      if (w > 0) {
        v.put(e.getKey(), w);
        norm += w * w;
      }
    }
    double length = Math.sqrt(norm);
    if (length > 0) {
      v.replaceAll((g, w) -> w / length);
    }
    return v;
  }

  /** Single letters, digits and CJK characters, and each adjacent pair of them; punctuation and spaces split. */
  static Map<String, Integer> grams(String text) {
    Map<String, Integer> grams = new HashMap<>();
    int previous = -1;
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); ) {
      int cp = lower.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetterOrDigit(cp) && Character.getType(cp) != Character.OTHER_SYMBOL) {
        previous = -1;
        continue;
      }
      String single = new String(Character.toChars(cp));
      grams.merge(single, 1, Integer::sum);
      if (previous >= 0) {
        grams.merge(new String(Character.toChars(previous)) + single, 1, Integer::sum);
      }
      previous = cp;
    }
    return grams;
  }
}
