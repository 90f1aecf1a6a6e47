package cn.legalkoi.answer;

import java.util.List;
import java.util.function.Function;

/**
 * Examples compared by meaning: cosine of their BGE vectors (L2-normalised, so a dot product). The message's
 * vector comes from the same function that embeds questions for search, which caches it, so a message is
 * embedded once for both.
 */
public final class MeaningSimilarity implements ExampleSimilarity {
  private final float[][] examples;
  private final Function<String, float[]> embedQuestion;

  /**
   * @param exampleVectors one vector per example, in example order
   * @param embedQuestion the vector of a message (blocking)
   */
  public MeaningSimilarity(List<float[]> exampleVectors, Function<String, float[]> embedQuestion) {
    this.examples = exampleVectors.toArray(new float[0][]);
    this.embedQuestion = embedQuestion;
  }

  @Override
  public int size() {
    return examples.length;
  }

  @Override
  public double[] toExamples(String text) {
    return dot(embedQuestion.apply(text));
  }

  @Override
  public double[] amongExamples(int i) {
    return dot(examples[i]);
  }

  private double[] dot(float[] v) {
    double[] sims = new double[examples.length];
    for (int i = 0; i < examples.length; i++) {
      float[] e = examples[i];
      double s = 0;
      for (int d = 0; d < e.length; d++) {
        s += e[d] * v[d];
      }
      sims[i] = s;
    }
    return sims;
  }
}
