package cn.legalkoi.gaps;

import cn.legalkoi.answer.CharGramSimilarity;
import cn.legalkoi.answer.ExampleSimilarity;
import cn.legalkoi.answer.MeaningSimilarity;
import java.util.List;
import java.util.function.Function;

/**
 * How alike two owner questions are, and how alike is alike enough to be one need. The thresholds were chosen on
 * the paraphrase pairs in {@code src/test/resources/gaps/paraphrase-pairs.tsv} (see {@code UnmetThresholdTest}
 * and the README): the middle of the range of thresholds that classify those pairs best.
 */
final class QuestionSimilarity {
  /**
   * TF-IDF over characters and character pairs, the IDF taken from the questions being grouped. On the 48 pairs
   * only 0.22 reaches the best accuracy, 0.81 (0.77 at 0.20, 0.73 at 0.25): characters group paraphrases that
   * share words and miss those that do not, so expect more, smaller groups than by meaning.
   */
  static final double CHARACTER_THRESHOLD = 0.22;
  /** Cosine of BGE small zh vectors. On the 48 pairs 0.75-0.77 reach the best accuracy, 0.98 (0.90 at 0.70). */
  static final double MEANING_THRESHOLD = 0.76;

  private final Function<List<String>, ExampleSimilarity> representation;
  private final double threshold;

  private QuestionSimilarity(Function<List<String>, ExampleSimilarity> representation, double threshold) {
    this.representation = representation;
    this.threshold = threshold;
  }

  static QuestionSimilarity byCharacters() {
    return new QuestionSimilarity(CharGramSimilarity::new, CHARACTER_THRESHOLD);
  }

  /** @param vectors L2-normalised vectors of texts, in their order (blocking) */
  static QuestionSimilarity byMeaning(Function<List<String>, List<float[]>> vectors) {
    return new QuestionSimilarity(texts -> new MeaningSimilarity(vectors.apply(texts), text -> {
      throw new UnsupportedOperationException("groups compare only the questions they were built from");
    }), MEANING_THRESHOLD);
  }

  Function<List<String>, ExampleSimilarity> representation() {
    return representation;
  }

  double threshold() {
    return threshold;
  }
}
