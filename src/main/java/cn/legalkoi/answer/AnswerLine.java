package cn.legalkoi.answer;

import cn.legalkoi.search.SearchHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Whether to answer a legal question from the guidance, and from which. The candidates are ranked by their search
 * score plus {@code voteWeight} times their share of the nearest labelled questions' votes
 * ({@link IntentScores#guidanceVotes()}); a logistic regression over how clearly the first is ahead, how well it
 * covers the question, how close it is in meaning, whether the ask agrees and what the message is gives the
 * probability that the first is the guidance the owner needs, and the message is answered when that probability
 * reaches {@code line}. Fitted on the tune rows by {@code legal-koi evaluate --fit}.
 *
 * @param weights one per {@link #FEATURES feature}, on the raw feature values
 */
public record AnswerLine(double voteWeight, List<Double> weights, double bias, double line) {
  /** The names of the features, in order. */
  public static final List<String> FEATURES = List.of("coverage", "unknownShare", "score", "lead", "runnerUpRatio",
      "askAgrees", "searchFirst", "outside", "legal", "similarity", "similarityLead", "vote", "escalation");

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
        scores.escalation()};
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
}
