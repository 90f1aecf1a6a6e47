package cn.legalkoi.answer;

import cn.legalkoi.knowledge.TextNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads what a message is from labelled examples: its nearest examples vote (by meaning and by characters, or by
 * characters alone when semantic retrieval is off), and a multinomial logistic regression weighs those votes
 * together with the closest examples of each intent and a few {@link CaseSignals}. Trained when the service
 * starts, from the tune set alone; the same data always gives the same model.
 */
public final class IntentModel {
  static final int NEIGHBOURS = 30;
  private static final Intent[] INTENTS = Intent.values();
  private static final int CLASSES = INTENTS.length;
  /** Features each representation gives: per intent, its vote share, closest example and closest few. */
  private static final int PER_REPRESENTATION = 3 * CLASSES;
  /** The closest examples of each intent whose mean similarity is a feature. */
  private static final int CLOSEST = 3;
  private static final int ITERATIONS = 3000;
  private static final double LEARNING_RATE = 0.5;
  private static final double L2 = 1e-3;
  private static final int FOLDS = 5;

  private final List<ExampleSimilarity> representations;
  private final Intent[] labels;
  private final double[][] exampleFeatures;
  private final double[][] weights;

  private IntentModel(List<ExampleSimilarity> representations, Intent[] labels, double[][] exampleFeatures,
      double[][] weights) {
    this.representations = representations;
    this.labels = labels;
    this.exampleFeatures = exampleFeatures;
    this.weights = weights;
  }

  /** Examples compared by meaning; {@code vectors} embeds a batch of texts, {@code embedQuestion} one message. */
  public static IntentModel byMeaning(List<LabelledQuestion> examples, Function<List<String>, List<float[]>> vectors,
      Function<String, float[]> embedQuestion) {
    List<String> texts = examples.stream().map(e -> prepare(e.question())).toList();
    return train(examples, List.of(new MeaningSimilarity(vectors.apply(texts), embedQuestion),
        new CharGramSimilarity(texts)));
  }

  /** Examples compared by their characters: no model needed. */
  public static IntentModel byCharacters(List<LabelledQuestion> examples) {
    return train(examples, List.of(new CharGramSimilarity(examples.stream().map(e -> prepare(e.question())).toList())));
  }

  static IntentModel train(List<LabelledQuestion> examples, List<ExampleSimilarity> representations) {
    Intent[] labels = examples.stream().map(LabelledQuestion::intent).toArray(Intent[]::new);
    double[][] x = new double[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      int example = i;
      // each example is described as a new message would be: without itself among the neighbours
      x[i] = features(representations.stream().map(r -> r.amongExamples(example)).toList(), i, labels,
          prepare(examples.get(i).question()));
    }
    return new IntentModel(representations, labels, x, fit(x, labels, allRows(labels.length)));
  }

  /** The message as both representations read it: the same text the search embeds, so its vector is shared. */
  public static String prepare(String message) {
    return TextNormalizer.normalize(message).strip();
  }

  /** Blocking with semantic retrieval (it may embed the message): call it from a worker. */
  public IntentScores classify(String message) {
    String text = prepare(message);
    return new IntentScores(probabilities(weights,
        features(representations.stream().map(r -> r.toExamples(text)).toList(), -1, labels, text)));
  }

  /**
   * The probabilities of each example from a model that did not learn from it ({@value #FOLDS} folds): what
   * the thresholds are fitted on, so that they suit messages the model has not seen.
   */
  public List<IntentScores> crossValidated() {
    IntentScores[] out = new IntentScores[labels.length];
    for (int fold = 0; fold < FOLDS; fold++) {
      List<Integer> train = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (i % FOLDS != fold) {
          train.add(i);
        }
      }
      double[][] w = fit(exampleFeatures, labels, train);
      for (int i = fold; i < labels.length; i += FOLDS) {
        out[i] = new IntentScores(probabilities(w, exampleFeatures[i]));
      }
    }
    return List.of(out);
  }

  /** The features of each representation, then the case signals and a bias. */
  private static double[] features(List<double[]> sims, int self, Intent[] labels, String text) {
    double[] f = new double[sims.size() * PER_REPRESENTATION + CaseSignals.COUNT + 1];
    for (int r = 0; r < sims.size(); r++) {
      neighbourFeatures(sims.get(r), self, labels, f, r * PER_REPRESENTATION);
    }
    double[] signals = CaseSignals.of(text);
    System.arraycopy(signals, 0, f, sims.size() * PER_REPRESENTATION, signals.length);
    f[f.length - 1] = 1;
    return f;
  }

  /**
   * Per intent, written from {@code at}: its similarity-weighted share of the votes of the nearest
   * {@value #NEIGHBOURS} examples, its closest example, and the mean of its {@value #CLOSEST} closest.
   */
  private static void neighbourFeatures(double[] sims, int self, Intent[] labels, double[] f, int at) {
    double total = 0;
    for (int i : nearest(sims, self, NEIGHBOURS)) {
      double w = Math.max(0, sims[i]);
      f[at + labels[i].ordinal()] += w;
      total += w;
    }
    for (int c = 0; c < CLASSES; c++) {
      f[at + c] = total > 0 ? f[at + c] / total : 0;
    }
    double[][] closest = new double[CLASSES][CLOSEST];
    for (int i = 0; i < sims.length; i++) {
      if (i != self) {
        double[] top = closest[labels[i].ordinal()];
        for (int k = 0; k < CLOSEST; k++) {
          if (sims[i] > top[k]) {
            System.arraycopy(top, k, top, k + 1, CLOSEST - k - 1);
            top[k] = sims[i];
            break;
          }
        }
      }
    }
    for (int c = 0; c < CLASSES; c++) {
      f[at + CLASSES + c] = closest[c][0];
      double sum = 0;
      for (double v : closest[c]) {
        sum += v;
      }
      f[at + 2 * CLASSES + c] = sum / CLOSEST;
    }
  }

  private static int[] nearest(double[] sims, int self, int k) {
    int n = Math.min(k, sims.length - (self >= 0 ? 1 : 0));
    int[] best = new int[Math.max(0, n)];
    boolean[] taken = new boolean[sims.length];
    if (self >= 0) {
      taken[self] = true;
    }
    for (int slot = 0; slot < best.length; slot++) {
      int arg = -1;
      for (int i = 0; i < sims.length; i++) {
        if (!taken[i] && (arg < 0 || sims[i] > sims[arg])) {
          arg = i;
        }
      }
      best[slot] = arg;
      taken[arg] = true;
    }
    return best;
  }

  /** Softmax regression by full-batch gradient descent, each intent weighted inversely to its frequency. */
  private static double[][] fit(double[][] x, Intent[] labels, List<Integer> rows) {
    double[] classWeight = new double[CLASSES];
    for (int i : rows) {
      classWeight[labels[i].ordinal()]++;
    }
    for (int c = 0; c < CLASSES; c++) {
      classWeight[c] = classWeight[c] == 0 ? 0 : rows.size() / (CLASSES * classWeight[c]);
    }
    int features = x[0].length;
    double[][] w = new double[CLASSES][features];
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      double[][] gradient = new double[CLASSES][features];
      for (int i : rows) {
        double[] p = probabilities(w, x[i]);
        int y = labels[i].ordinal();
        for (int c = 0; c < CLASSES; c++) {
          double error = classWeight[y] * (p[c] - (c == y ? 1 : 0));
          for (int j = 0; j < features; j++) {
            gradient[c][j] += error * x[i][j];
          }
        }
      }
      for (int c = 0; c < CLASSES; c++) {
        for (int j = 0; j < features; j++) {
          double penalty = j == features - 1 ? 0 : L2 * w[c][j];
          w[c][j] -= LEARNING_RATE * (gradient[c][j] / rows.size() + penalty);
        }
      }
    }
    return w;
  }

  private static double[] probabilities(double[][] w, double[] x) {
    double[] z = new double[CLASSES];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < CLASSES; c++) {
      for (int j = 0; j < x.length; j++) {
        z[c] += w[c][j] * x[j];
      }
      max = Math.max(max, z[c]);
    }
    double sum = 0;
    for (int c = 0; c < CLASSES; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < CLASSES; c++) {
      z[c] /= sum;
    }
    return z;
  }

  private static List<Integer> allRows(int n) {
    List<Integer> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(i);
    }
    return rows;
  }
}
