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

  /**
   * Each example's dot product with {@code v}, summed in double in dimension order. Four examples are summed side
   * by side, so that each sum waits on its own additions only (one chain of dependent additions limited the plain
   * loop); every sum still takes the same float products in the same order, so the results are bit for bit those
   * of the plain loop.
   */
  private double[] dot(float[] v) {
    double[] sims = new double[examples.length];
    int i = 0;
    for (; i + 3 < examples.length; i += 4) {
      float[] e0 = examples[i];
      float[] e1 = examples[i + 1];
      float[] e2 = examples[i + 2];
      float[] e3 = examples[i + 3];
      int dims = Math.min(Math.min(e0.length, e1.length), Math.min(e2.length, e3.length));
      if (dims != e0.length || dims != e1.length || dims != e2.length || dims != e3.length) {
        break; // vectors of different lengths: left to the plain loop below
      }
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int d = 0; d < dims; d++) {
        float x = v[d];
        s0 += e0[d] * x;
        s1 += e1[d] * x;
        s2 += e2[d] * x;
        s3 += e3[d] * x;
      }
      sims[i] = s0;
      sims[i + 1] = s1;
      sims[i + 2] = s2;
      sims[i + 3] = s3;
    }
    for (; i < examples.length; i++) {
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
