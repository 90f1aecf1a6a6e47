package cn.legalkoi.answer;

import cn.legalkoi.knowledge.TextNormalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads what a message is from labelled examples: its nearest examples vote (by meaning and by characters, or by
 * characters alone when semantic retrieval is off), and a multinomial logistic regression weighs those votes
 * together with the closest examples of each intent and a few {@link CaseSignals}. The nearest labelled legal
 * questions also vote on the guidance that answers the message: owners who asked alike were answered from it.
 * Trained when the service starts, from the tune set alone; the same data always gives the same model.
 */
public final class IntentModel {
  static final int NEIGHBOURS = 30;
  /** The labelled legal questions that vote on the guidance, per representation (chosen on tune-cv). */
  static final int GUIDANCE_NEIGHBOURS = 10;
  /** A markup tag: pasted HTML, which the model does not read. */
  private static final Pattern MARKUP = Pattern.compile("<[^<>]{0,200}>");
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
  /** The cue grams' penalty and the length of a message's cue vector (chosen on tune-cv route cost). */
  private static final double CUE_L2 = 3e-3;
  private static final double CUE_SCALE = 2;

  private final List<ExampleSimilarity> representations;
  private final Intent[] labels;
  /** The guidance each example expects, or null for one that expects none. */
  private final String[] docIds;
  private final double[][] exampleFeatures;
  private final CueGrams cues;
  private final int[][] exampleCues;
  private final Weights weights;

  /** Weights of the dense features (the last one the bias) and of the cue grams, per intent. */
  private record Weights(double[][] dense, double[][] cues) {
  }

  private IntentModel(List<ExampleSimilarity> representations, Intent[] labels, String[] docIds,
      double[][] exampleFeatures, CueGrams cues, int[][] exampleCues, Weights weights) {
    this.representations = representations;
    this.labels = labels;
    this.docIds = docIds;
    this.exampleFeatures = exampleFeatures;
    this.cues = cues;
    this.exampleCues = exampleCues;
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
    List<String> texts = examples.stream().map(e -> prepare(e.question())).toList();
    CueGrams cues = new CueGrams(texts);
    int[][] exampleCues = texts.stream().map(cues::of).toArray(int[][]::new);
    String[] docIds = examples.stream().map(e -> e.expectsGuidance() ? e.docId() : null).toArray(String[]::new);
    return new IntentModel(representations, labels, docIds, x, cues, exampleCues,
        fit(x, exampleCues, cues.size(), labels, allRows(labels.length)));
  }

  /**
   * The message as both representations read it: the same text the search embeds, so its vector is shared, except
   * that markup tags (pasted HTML, never an owner's words) are left out: their letters would outvote the words
   * around them.
   */
  public static String prepare(String message) {
    return TextNormalizer.normalize(MARKUP.matcher(message).replaceAll(" ")).strip();
  }

  /** Blocking with semantic retrieval (it may embed the message): call it from a worker. */
  public IntentScores classify(String message) {
    String text = prepare(message);
    List<double[]> sims = representations.stream().map(r -> r.toExamples(text)).toList();
    return guidance(probabilities(weights, features(sims, -1, labels, text), cues.of(text)), sims, -1);
  }

  /**
   * The probabilities of each example from a model that did not learn from it ({@value #FOLDS} folds), and the
   * guidance votes of the other folds' examples: what the thresholds are fitted on, so that they suit messages the
   * model has not seen.
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
      Weights w = fit(exampleFeatures, exampleCues, cues.size(), labels, train);
      for (int i = fold; i < labels.length; i += FOLDS) {
        int example = i;
        out[i] = guidance(probabilities(w, exampleFeatures[i], exampleCues[i]),
            representations.stream().map(r -> r.amongExamples(example)).toList(), fold);
      }
    }
    return List.of(out);
  }

  /**
   * The intent probabilities with, per guidance document, its share of the votes of the {@value #GUIDANCE_NEIGHBOURS}
   * labelled legal questions nearest to the message in each representation (each vote weighs the question's
   * similarity), averaged over the representations, and the similarity of its closest labelled question, averaged
   * likewise. {@code heldOutFold} leaves out that fold's examples (a cross-validated reading), or none when negative.
   */
  private IntentScores guidance(double[] probabilities, List<double[]> sims, int heldOutFold) {
    Map<String, Double> votes = new HashMap<>();
    Map<String, Double> closest = new HashMap<>();
    for (double[] s : sims) {
      double[] eligible = new double[s.length];
      Map<String, Double> mineClosest = new HashMap<>();
      for (int i = 0; i < s.length; i++) {
        boolean heldOut = heldOutFold >= 0 && i % FOLDS == heldOutFold;
        eligible[i] = docIds[i] == null || heldOut ? Double.NEGATIVE_INFINITY : s[i];
        if (eligible[i] != Double.NEGATIVE_INFINITY) {
          mineClosest.merge(docIds[i], Math.max(0, s[i]), Math::max);
        }
      }
      for (Map.Entry<String, Double> e : mineClosest.entrySet()) {
        closest.merge(e.getKey(), e.getValue() / sims.size(), Double::sum);
      }
      Map<String, Double> mine = new HashMap<>();
      double total = 0;
      for (int i : nearest(eligible, -1, GUIDANCE_NEIGHBOURS)) {
        if (eligible[i] == Double.NEGATIVE_INFINITY) {
          break;
        }
        double w = Math.max(0, s[i]);
        mine.merge(docIds[i], w, Double::sum);
        total += w;
      }
      for (Map.Entry<String, Double> e : mine.entrySet()) {
        votes.merge(e.getKey(), total > 0 ? e.getValue() / total / sims.size() : 0, Double::sum);
      }
    }
    return new IntentScores(probabilities, votes, closest);
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
  private static Weights fit(double[][] x, int[][] cues, int vocabulary, Intent[] labels, List<Integer> rows) {
    double[] classWeight = new double[CLASSES];
    for (int i : rows) {
      classWeight[labels[i].ordinal()]++;
    }
    for (int c = 0; c < CLASSES; c++) {
      classWeight[c] = classWeight[c] == 0 ? 0 : rows.size() / (CLASSES * classWeight[c]);
    }
    int features = x[0].length;
    Weights w = new Weights(new double[CLASSES][features], new double[CLASSES][vocabulary]);
    double[][] gradient = new double[CLASSES][features];
    double[][] cueGradient = new double[CLASSES][vocabulary];
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      for (int c = 0; c < CLASSES; c++) {
        Arrays.fill(gradient[c], 0);
        Arrays.fill(cueGradient[c], 0);
      }
      for (int i : rows) {
        double[] p = probabilities(w, x[i], cues[i]);
        int y = labels[i].ordinal();
        double cueValue = cueValue(cues[i]);
        for (int c = 0; c < CLASSES; c++) {
          double error = classWeight[y] * (p[c] - (c == y ? 1 : 0));
          for (int j = 0; j < features; j++) {
            gradient[c][j] += error * x[i][j];
          }
          for (int k : cues[i]) {
            cueGradient[c][k] += error * cueValue;
          }
        }
      }
      for (int c = 0; c < CLASSES; c++) {
        for (int j = 0; j < features; j++) {
          double penalty = j == features - 1 ? 0 : L2 * w.dense()[c][j];
          w.dense()[c][j] -= LEARNING_RATE * (gradient[c][j] / rows.size() + penalty);
        }
        for (int k = 0; k < vocabulary; k++) {
          w.cues()[c][k] -= LEARNING_RATE * (cueGradient[c][k] / rows.size() + CUE_L2 * w.cues()[c][k]);
        }
      }
    }
    return w;
  }

  /** Each cue gram of a message weighs the same, and all of them together as much as one strong feature. */
  private static double cueValue(int[] cues) {
    return cues.length == 0 ? 0 : CUE_SCALE / Math.sqrt(cues.length);
  }

  private static double[] probabilities(Weights w, double[] x, int[] cues) {
    double[] z = new double[CLASSES];
    double max = Double.NEGATIVE_INFINITY;
    double cueValue = cueValue(cues);
    for (int c = 0; c < CLASSES; c++) {
      for (int j = 0; j < x.length; j++) {
        z[c] += w.dense()[c][j] * x[j];
      }
      for (int k : cues) {
        z[c] += w.cues()[c][k] * cueValue;
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
