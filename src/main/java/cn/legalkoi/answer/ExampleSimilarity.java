package cn.legalkoi.answer;

/**
 * How alike a message is to each labelled example, in one representation (meaning, or characters). Values are
 * cosine similarities; examples keep the order they were given in.
 */
public interface ExampleSimilarity {
  int size();

  /** Similarity of the text to every example. Blocking where the representation needs a model. */
  double[] toExamples(String text);

  /** Similarity of example {@code i} to every example, itself included. */
  double[] amongExamples(int i);
}
