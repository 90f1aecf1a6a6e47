package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Whether to answer a legal question from the guidance, and from which. The candidates are ranked by their search
 * score plus {@code voteWeight} times their share of the nearest labelled questions' votes
 * ({@link IntentScores#guidanceVotes()}); a logistic regression over how clearly the first is ahead, how well it
 * covers the question, how close it is in meaning, how close the labelled questions it answered are, whether the
 * ask agrees and what the message is gives the probability that the first is the guidance the owner needs, and the
 * message is answered when that probability reaches {@code line}. Fitted on the tune rows by
 * {@code legal-koi evaluate --fit}.
 *
 * @param weights one per {@link #FEATURES feature}, on the raw feature values
 */
public record AnswerLine(double voteWeight, List<Double> weights, double bias, double line) {
  /** The names of the features, in order. */
  public static final List<String> FEATURES = List.of("coverage", "unknownShare", "score", "lead", "runnerUpRatio",
      "askAgrees", "searchFirst", "outside", "legal", "similarity", "similarityLead", "vote", "escalation", "nearest",
      "nearestLead");
  private static final int ITERATIONS = 3000;
  private static final double LEARNING_RATE = 0.5;
  private static final double L2 = 1e-3;

  public AnswerLine {
    weights = List.copyOf(weights);
    if (weights.size() != FEATURES.size()) {
      throw new IllegalArgumentException("an answer line needs " + FEATURES.size() + " weights, not "
          + weights.size());
    }
  }

  /** A line that never answers: what a fit that finds no line at the required precision falls back to. */
  public static AnswerLine never(double voteWeight) {
    return new AnswerLine(voteWeight, FEATURES.stream().map(f -> 0.0).toList(), 0, 2);
  }

  /** The candidates ranked, and the features of the first. */
  public record Reading(List<SearchHit> ranked, List<Double> rankedScores, double[] features) {
    public SearchHit first() {
      return ranked.get(0);
    }
  }

  /** Ranks the candidates of a non-empty match and reads the features of the first. */
  public static Reading read(MatchFeatures f, IntentScores scores, double voteWeight) {
    List<SearchHit> hits = f.candidates();
    double[] combined = hits.stream()
        .mapToDouble(h -> h.score() + voteWeight * scores.voteFor(h.docId())).toArray();
    List<Integer> order = IntStream.range(0, hits.size()).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -combined[i])).toList();
    List<SearchHit> ranked = new ArrayList<>();
    List<Double> rankedScores = new ArrayList<>();
    for (int i : order) {
      ranked.add(hits.get(i));
      rankedScores.add(combined[i]);
    }
    int first = order.get(0);
    SearchHit best = hits.get(first);
    double score = combined[first];
    double second = order.size() < 2 ? 0 : combined[order.get(1)];
    double similarity = Double.isNaN(best.similarity()) ? 0 : best.similarity();
    double otherSimilarity = 0;
    for (int i : order.subList(1, order.size())) {
      otherSimilarity = Math.max(otherSimilarity, Double.isNaN(hits.get(i).similarity()) ? 0
          : hits.get(i).similarity());
    }
    double otherNearest = 0;
    for (int i : order.subList(1, order.size())) {
      otherNearest = Math.max(otherNearest, scores.nearestFor(hits.get(i).docId()));
    }
    double[] x = {
        f.coverages().get(first),
        f.unknownShare(),
        score,
        score - second,
        score > 0 ? second / score : 0,
        f.askAgreesWith(best.docId()) ? 1 : 0,
        first == 0 ? 1 : 0,
        scores.of(Intent.OUTSIDE),
        scores.of(Intent.LEGAL),
        similarity,
        order.size() < 2 ? similarity : similarity - otherSimilarity,
        scores.voteFor(best.docId()),
        scores.escalation(),
        scores.nearestFor(best.docId()),
        scores.nearestFor(best.docId()) - otherNearest};
    return new Reading(List.copyOf(ranked), List.copyOf(rankedScores), x);
  }

  /** The probability that the first candidate is the guidance the owner needs. */
  public double confidence(double[] features) {
    double z = bias;
    for (int j = 0; j < features.length; j++) {
      z += weights.get(j) * features[j];
    }
    return 1 / (1 + Math.exp(-z));
  }

  public boolean answers(double[] features) {
    return confidence(features) >= line;
  }

  /**
   * Fits a line at one vote weight: a logistic regression of whether each row's first-ranked guidance is the one it
   * needs, by full-batch gradient descent on standardised features with an L2 penalty of {@value #L2} (chosen on
   * tune-cv), its weights then written on the raw features and rounded to four places so that the fitted line can be
   * committed as it is; the line is the lowest probability on a grid of 0.001 at which the rows answered keep
   * {@code minPrecision}. A line that never answers when no row is right.
   *
   * @param x the features of each row ({@link #read})
   * @param y whether each row's first-ranked guidance is the one it needs
   */
  public static AnswerLine fit(double voteWeight, List<double[]> x, List<Boolean> y, double minPrecision) {
    int d = FEATURES.size();
    if (x.isEmpty() || !y.contains(true)) {
      return never(voteWeight);
    }
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (double[] v : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += v[j] / x.size();
      }
    }
    for (double[] v : x) {
      for (int j = 0; j < d; j++) {
        sd[j] += (v[j] - mean[j]) * (v[j] - mean[j]) / x.size();
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j]) + 1e-9;
    }
    double[] w = new double[d];
    double b = 0;
    double[] gradient = new double[d];
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      Arrays.fill(gradient, 0);
      double biasGradient = 0;
      for (int n = 0; n < x.size(); n++) {
        double z = b;
        for (int j = 0; j < d; j++) {
          z += w[j] * (x.get(n)[j] - mean[j]) / sd[j];
        }
        double error = 1 / (1 + Math.exp(-z)) - (y.get(n) ? 1 : 0);
        for (int j = 0; j < d; j++) {
          gradient[j] += error * (x.get(n)[j] - mean[j]) / sd[j];
        }
        biasGradient += error;
      }
      for (int j = 0; j < d; j++) {
        w[j] -= LEARNING_RATE * (gradient[j] / x.size() + L2 * w[j]);
      }
      b -= LEARNING_RATE * biasGradient / x.size();
    }
    List<Double> raw = new ArrayList<>();
    double bias = b;
    for (int j = 0; j < d; j++) {
      raw.add(round4(w[j] / sd[j]));
      bias -= w[j] * mean[j] / sd[j];
    }
    AnswerLine fitted = new AnswerLine(voteWeight, raw, round4(bias), 2);
    double[] p = x.stream().mapToDouble(fitted::confidence).toArray();
    double line = 2;
    for (int step = 1000; step >= 0; step--) {
      double candidate = step / 1000.0;
      int answered = 0;
      int right = 0;
      for (int n = 0; n < p.length; n++) {
        if (p[n] >= candidate) {
          answered++;
          right += y.get(n) ? 1 : 0;
        }
      }
      if (answered > 0 && right >= minPrecision * answered) {
        line = candidate;
      }
    }
    return new AnswerLine(voteWeight, raw, round4(bias), line);
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
