package cn.legalkoi.quality;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.answer.AnswerLine;
import cn.legalkoi.answer.AnswerService;
import cn.legalkoi.answer.AskReply;
import cn.legalkoi.answer.DecisionRule;
import cn.legalkoi.answer.DecisionThresholds;
import cn.legalkoi.answer.Intent;
import cn.legalkoi.answer.IntentScores;
import cn.legalkoi.answer.IntentThresholds;
import cn.legalkoi.answer.LabelledQuestion;
import cn.legalkoi.answer.MatchFeatures;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.search.IndexGeneration;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.SearchHit;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Measures search and the answer decision on labelled questions, and fits the decision thresholds on the
 * tune split. Blocking: it searches.
 */
public final class Evaluation {
  private static final int SEARCH_DEPTH = 10;
  /** A confident wrong answer costs this many right ones. */
  private static final double WRONG_ANSWER_COST = 3.0;
  /**
   * The precision the answer line is fitted at on the tune rows with semantic retrieval: the lowest of 0.98, 0.985,
   * 0.99 and 0.995 at which the line keeps the product's promise (at most one answer in fifty from the wrong
   * guidance) on rows it was not fitted on. {@code evaluate --answer-line-cv} on the 3,071 tune rows: fitted at 0.98,
   * precision 0.976 (1,370 right, 34 wrong); at 0.985, 0.984 (1,306, 21).
   */
  private static final double SEMANTIC_MIN_PRECISION = 0.985;
  /**
   * The same for lexical search, whose promise is ten points lower (0.88): 0.98, the lowest, gives precision 0.978
   * (1,176 right, 26 wrong) on rows the line was not fitted on.
   */
  private static final double LEXICAL_MIN_PRECISION = 0.98;
  /** The vote weights the answer line's fit chooses among (0: the search's own order). */
  private static final double[] VOTE_WEIGHTS = {0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0};

  private final IndexGeneration generation;
  private final Function<RankingWeights, KnowledgeSearcher> searchers;

  public Evaluation(IndexGeneration generation, Function<RankingWeights, KnowledgeSearcher> searchers) {
    this.generation = generation;
    this.searchers = searchers;
  }

  /** Search metrics of the guidance each answer row expects, with the given ranking weights. */
  public double[] searchMetrics(List<LabelledQuestion> rows, RankingWeights weights) {
    KnowledgeSearcher searcher = searchers.apply(weights);
    int n = 0;
    double hit1 = 0;
    double hit3 = 0;
    double rr = 0;
    for (LabelledQuestion row : rows) {
      if (!row.expectsGuidance()) {
        continue;
      }
      n++;
      List<SearchHit> hits = searcher.search(generation, row.question(), SEARCH_DEPTH, SearchHit.GUIDANCE);
      for (int i = 0; i < hits.size(); i++) {
        if (hits.get(i).docId().equals(row.docId())) {
          hit1 += i == 0 ? 1 : 0;
          hit3 += i < 3 ? 1 : 0;
          rr += 1.0 / (i + 1);
          break;
        }
      }
    }
    return n == 0 ? new double[] {0, 0, 0, 0} : new double[] {n, hit1 / n, hit3 / n, rr / n};
  }

  /** One line per tune question whose cross-validated reply differs from its label, for reading what went wrong. */
  public String misses(List<LabelledQuestion> tune, AnswerService answers) {
    List<IntentScores> scores = answers.intents().crossValidated();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tune.size(); i++) {
      LabelledQuestion row = tune.get(i);
      IntentScores rowScores = scores.get(i);
      AskReply reply = answers.ask(generation, row.question(), () -> rowScores);
      String got = reply.kind().wireName();
      boolean rightDoc = !reply.docIds().isEmpty() && reply.docIds().get(0).equals(row.docId());
      if (!got.equals(row.kind()) || ("answer".equals(got) && !rightDoc)) {
        MatchFeatures f = answers.features(generation, row.question());
        String first = "-";
        double confidence = 0;
        if (!f.isEmpty()) {
          AnswerLine line = answers.thresholds().answerLine();
          AnswerLine.Reading reading = AnswerLine.read(f, rowScores, line.voteWeight());
          first = reading.first().docId();
          confidence = line.confidence(reading.features());
        }
        out.append(String.format(Locale.ROOT, "MISS want=%-9s %-32s got=%-9s %-32s first=%-32s cov=%.2f p=%.2f [%s]"
            + " %s%n", row.kind(), row.docId(), got, reply.docIds().isEmpty() ? "-" : reply.docIds().get(0), first,
            f.coverage(), confidence, rowScores, row.question()));
      }
    }
    return out.toString();
  }

  public QualityReport report(String name, List<LabelledQuestion> rows, RankingWeights weights, AnswerService answers) {
    return report(name, rows, weights, row -> answers.ask(generation, row.question()));
  }

  /**
   * The tune rows as unseen messages: each routed by the intent model's cross-validated probabilities (from a
   * model that did not learn from that row). What to read while developing; the holdout is for judging.
   */
  public QualityReport crossValidatedReport(String name, List<LabelledQuestion> tune, RankingWeights weights,
      AnswerService answers) {
    List<IntentScores> scores = answers.intents().crossValidated();
    Map<LabelledQuestion, IntentScores> byRow = new java.util.IdentityHashMap<>();
    for (int i = 0; i < tune.size(); i++) {
      byRow.put(tune.get(i), scores.get(i));
    }
    return report(name, tune, weights, row -> answers.ask(generation, row.question(), () -> byRow.get(row)));
  }

  private QualityReport report(String name, List<LabelledQuestion> rows, RankingWeights weights,
      Function<LabelledQuestion, AskReply> replies) {
    double[] search = searchMetrics(rows, weights);
    Map<String, int[]> kinds = new HashMap<>();
    int answered = 0;
    int answeredRight = 0;
    int escalateExpected = 0;
    int escalateFound = 0;
    int escalated = 0;
    int offTopic = 0;
    int offTopicCited = 0;
    int offTopicEscalated = 0;
    for (LabelledQuestion row : rows) {
      AskReply reply = replies.apply(row);
      String got = reply.kind().wireName();
      boolean rightDoc = !reply.docIds().isEmpty() && reply.docIds().get(0).equals(row.docId());
      boolean correct = got.equals(row.kind()) && (!"answer".equals(got) || rightDoc);
      int[] k = kinds.computeIfAbsent(row.kind(), x -> new int[2]);
      k[0] += correct ? 1 : 0;
      k[1]++;
      if (reply.kind() == AskReply.Kind.ANSWER) {
        answered++;
        answeredRight += "answer".equals(row.kind()) && rightDoc ? 1 : 0;
      }
      if ("escalate".equals(row.kind())) {
        escalateExpected++;
        escalateFound += reply.kind() == AskReply.Kind.ESCALATE ? 1 : 0;
      }
      escalated += reply.kind() == AskReply.Kind.ESCALATE ? 1 : 0;
      if ("smalltalk".equals(row.kind())) {
        offTopic++;
        offTopicCited += reply.citations().isEmpty() ? 0 : 1;
        offTopicEscalated += reply.kind() == AskReply.Kind.ESCALATE ? 1 : 0;
      }
    }
    return new QualityReport(name, (int) search[0], search[1], search[2], search[3], kinds, answered, answeredRight,
        escalateExpected, escalateFound, escalated, offTopic, offTopicCited, offTopicEscalated);
  }

  /**
   * Fits every threshold of the decision on the tune rows, which must be the rows the intent model learned from,
   * in the same order: first where the intent probabilities route a message (on cross-validated probabilities,
   * so they suit unseen messages), then the answer/clarify lines on every row that could reach them if the intent
   * model erred (all but the escalations it routes correctly), so that chatter or an out-of-scope question taken
   * for a legal one still rarely gets an answer.
   */
  public DecisionThresholds fit(List<LabelledQuestion> tune, AnswerService answers) {
    List<IntentScores> scores = answers.intents().crossValidated();
    if (scores.size() != tune.size()) {
      throw new IllegalArgumentException("fit on the rows the intent model learned from: " + scores.size()
          + " examples, " + tune.size() + " rows");
    }
    IntentThresholds intent = fitIntent(tune, scores);
    Reachable rows = reachable(tune, answers, scores, intent);
    return fitAnswerLine(intent, rows, IntStream.range(0, rows.asked().size()).boxed().toList(),
        rows.semantic() ? SEMANTIC_MIN_PRECISION : LEXICAL_MIN_PRECISION);
  }

  /**
   * The rows the answer line is fitted on, with their match features and cross-validated intent probabilities:
   * every tune row that could reach it if the intent model erred (all but the escalations it routes correctly), so
   * that chatter or an out-of-scope question taken for a legal one still rarely gets an answer.
   */
  private record Reachable(List<LabelledQuestion> asked, List<MatchFeatures> features, List<IntentScores> scores) {
    /** Whether the rows were searched with semantic retrieval: only then is a similarity known. */
    boolean semantic() {
      return features.stream().flatMap(f -> f.candidates().stream()).anyMatch(h -> !Double.isNaN(h.similarity()));
    }
  }

  private Reachable reachable(List<LabelledQuestion> tune, AnswerService answers, List<IntentScores> scores,
      IntentThresholds intent) {
    List<LabelledQuestion> asked = new ArrayList<>();
    List<MatchFeatures> features = new ArrayList<>();
    List<IntentScores> rowScores = new ArrayList<>();
    for (int i = 0; i < tune.size(); i++) {
      if (!tune.get(i).intent().isEscalation() || intent.route(scores.get(i)) == Intent.LEGAL) {
        asked.add(tune.get(i));
        features.add(answers.features(generation, tune.get(i).question()));
        rowScores.add(scores.get(i));
      }
    }
    return new Reachable(asked, features, rowScores);
  }

  /**
   * What the answer line gives on rows it was not fitted on.
   *
   * @param fittedPrecision the precision the line was held to on the rows it was fitted on
   * @param answered answers given to held-out rows
   * @param right those from the guidance the row expects
   * @param answerable held-out rows (all folds together) that expect an answer
   * @param wrong the held-out rows answered from guidance they do not expect, with that guidance
   */
  public record AnswerLineCheck(double fittedPrecision, int answered, int right, int answerable, List<String> wrong) {
    public double precision() {
      return answered == 0 ? 0 : right / (double) answered;
    }

    public String format() {
      StringBuilder out = new StringBuilder();
      wrong.forEach(w -> out.append("WRONG ").append(w).append('\n'));
      return out + String.format(Locale.ROOT, "answer line fitted at precision %.3f, cross-validated: answered=%d"
          + " precision=%.3f right answers=%d of %d answerable rows that reach it%n", fittedPrecision, answered,
          precision(), right, answerable);
    }
  }

  /**
   * The answer line's precision and answer accuracy on rows it was not fitted on: the rows that could reach it
   * are split five ways, the line is fitted on four parts at the given in-sample precision and applied to the
   * fifth. What a precision floor fitted in-sample really gives on unseen questions.
   */
  public AnswerLineCheck answerLineCrossValidated(List<LabelledQuestion> tune, AnswerService answers,
      double minPrecision) {
    List<IntentScores> scores = answers.intents().crossValidated();
    IntentThresholds intent = fitIntent(tune, scores);
    Reachable rows = reachable(tune, answers, scores, intent);
    int answered = 0;
    int right = 0;
    List<String> wrong = new ArrayList<>();
    for (int fold = 0; fold < 5; fold++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < rows.asked().size(); i++) {
        (i % 5 == fold ? test : train).add(i);
      }
      DecisionThresholds fitted = fitAnswerLine(intent, rows, train, minPrecision);
      double[] scored = utility(fitted, rows, test, wrong);
      answered += (int) scored[1];
      right += (int) scored[2];
    }
    int answerable = (int) rows.asked().stream().filter(LabelledQuestion::expectsGuidance).count();
    return new AnswerLineCheck(minPrecision, answered, right, answerable, List.copyOf(wrong));
  }

  /**
   * Fits the answer line on some of the reachable rows: for each vote weight, a logistic regression of whether the
   * first-ranked candidate is the guidance the row expects, its line at the given in-sample precision, then where to
   * offer a choice of topics and what is out of scope; the most utility at that precision wins.
   */
  private static DecisionThresholds fitAnswerLine(IntentThresholds intent, Reachable reachable, List<Integer> rows,
      double minPrecision) {
    DecisionThresholds best = null;
    double bestUtility = Double.NEGATIVE_INFINITY;
    for (double voteWeight : VOTE_WEIGHTS) {
      AnswerLine line = fitLine(reachable, rows, voteWeight, minPrecision);
      for (double clarify : new double[] {0.0, 0.05, 0.1, 0.2}) {
        for (double unknown : new double[] {0.7, 0.8, 0.9, 1.0}) {
          DecisionThresholds t = new DecisionThresholds(intent, line, clarify, 0.6, unknown);
          double[] scored = utility(t, reachable, rows, new ArrayList<>());
          if (scored[1] > 0 && scored[2] / scored[1] >= minPrecision && scored[0] > bestUtility) {
            bestUtility = scored[0];
            best = t;
          }
        }
      }
    }
    return best == null
        ? new DecisionThresholds(intent, AnswerLine.never(VOTE_WEIGHTS[0]), 0.1, 0.6, 0.8) : best;
  }

  /** The answer line at one vote weight, fitted on the rows that found some guidance. */
  private static AnswerLine fitLine(Reachable reachable, List<Integer> rows, double voteWeight, double minPrecision) {
    List<double[]> features = new ArrayList<>();
    List<Boolean> right = new ArrayList<>();
    for (int i : rows) {
      MatchFeatures f = reachable.features().get(i);
      if (f.isEmpty()) {
        continue;
      }
      AnswerLine.Reading reading = AnswerLine.read(f, reachable.scores().get(i), voteWeight);
      features.add(reading.features());
      LabelledQuestion row = reachable.asked().get(i);
      right.add(row.expectsGuidance() && reading.first().docId().equals(row.docId()));
    }
    return AnswerLine.fit(voteWeight, features, right, minPrecision);
  }

  /**
   * What a wrong route costs, by the message's true intent (rows) and the route taken (columns, in
   * {@link Intent} order). Missing a request for a person strands the owner, so it costs three times a
   * needless handover (the promise is recall 0.97 at precision 0.9); chatter taken for a legal question risks a
   * citation on a joke.
   */
  private static final double[][] ROUTE_COST = {
      // person, complex, chatter, legal, outside
      {0, 0, 4, 3, 3},          // person
      {0, 0, 4, 3, 3},          // complex
      {2, 2, 0, 1, 0.5},        // chatter
      {1, 1, 2, 0, 1.5},        // legal
      {1, 1, 1, 1, 0}};         // outside

  /** The tune rows' intents against their cross-validated routes, with the total route cost. */
  public static String intentConfusion(List<LabelledQuestion> tune, AnswerService answers) {
    List<IntentScores> scores = answers.intents().crossValidated();
    int[][] counts = new int[Intent.values().length][Intent.values().length];
    double cost = 0;
    for (int i = 0; i < tune.size(); i++) {
      Intent truth = tune.get(i).intent();
      Intent route = answers.thresholds().intent().route(scores.get(i));
      counts[truth.ordinal()][route.ordinal()]++;
      cost += ROUTE_COST[truth.ordinal()][route.ordinal()];
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "intent-cv route cost=%.1f%n", cost));
    out.append(String.format(Locale.ROOT, "%-10s", "true\\route"));
    for (Intent intent : Intent.values()) {
      out.append(String.format(Locale.ROOT, "%9s", intent.wireName()));
    }
    out.append('\n');
    for (Intent truth : Intent.values()) {
      out.append(String.format(Locale.ROOT, "%-10s", truth.wireName()));
      for (Intent route : Intent.values()) {
        out.append(String.format(Locale.ROOT, "%9d", counts[truth.ordinal()][route.ordinal()]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Grid search of the intent thresholds: the least total {@link #ROUTE_COST}; ties keep the first found. */
  static IntentThresholds fitIntent(List<LabelledQuestion> rows, List<IntentScores> scores) {
    IntentThresholds best = null;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int e = 2; e <= 18; e++) {
      for (int c = 2; c <= 18; c++) {
        for (int o = 2; o <= 18; o++) {
          for (int l = 1; l <= 10; l++) {
            IntentThresholds t = new IntentThresholds(e / 20.0, c / 20.0, o / 20.0, l / 20.0);
            double cost = 0;
            for (int i = 0; i < rows.size() && cost < bestCost; i++) {
              cost += ROUTE_COST[rows.get(i).intent().ordinal()][t.route(scores.get(i)).ordinal()];
            }
            if (cost < bestCost) {
              bestCost = cost;
              best = t;
            }
          }
        }
      }
    }
    return best;
  }

  /**
   * Utility, answers given and right answers of one threshold setting on precomputed features; each row answered
   * from guidance it does not expect is added to {@code wrong}.
   */
  private static double[] utility(DecisionThresholds t, Reachable reachable, List<Integer> rows,
      List<String> wrong) {
    double utility = 0;
    int answered = 0;
    int right = 0;
    for (int i : rows) {
      LabelledQuestion row = reachable.asked().get(i);
      DecisionRule.Decision d = DecisionRule.decide(reachable.features().get(i), reachable.scores().get(i), t);
      boolean expectsAnswer = row.expectsGuidance();
      if (d.kind() == AskReply.Kind.ANSWER) {
        answered++;
        boolean ok = expectsAnswer && d.docIds().get(0).equals(row.docId());
        right += ok ? 1 : 0;
        utility += ok ? 1 : -WRONG_ANSWER_COST;
        if (!ok) {
          wrong.add(String.format(Locale.ROOT, "want=%s/%s got=%s %s", row.kind(), row.docId(), d.docIds().get(0),
              row.question()));
        }
      } else if (d.kind() == AskReply.Kind.CLARIFY) {
        utility += expectsAnswer ? (d.docIds().contains(row.docId()) ? 0.4 : -0.3) : -1.0;
      } else if (expectsAnswer) {
        utility -= 0.2;
      }
    }
    return new double[] {utility, answered, right};
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** {@code legal-koi evaluate}: prints the quality report, and with {@code --fit} the fitted thresholds. */
  @CommandLine.Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = "Measure search and answer quality on labelled questions; --fit refits the decision thresholds.")
  public static final class Command implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE")
    Path config;
    @Option(names = "--holdout", paramLabel = "FILE", defaultValue = "src/test/resources/quality/holdout.tsv",
        description = "the frozen holdout rows, reported and never fitted on")
    Path holdoutFile;
    @Option(names = "--fit", description = "fit the decision thresholds on the tune split")
    boolean fit;
    @Option(names = "--chains", description = "compare the analysis chains (bigrams, words, both)")
    boolean chains;
    @Option(names = "--misses", description = "list every tune question whose reply differs from its label")
    boolean misses;
    @Option(names = "--answer-line-cv", paramLabel = "PRECISION",
        description = "fit the answer line at this in-sample precision on four fifths of the tune rows and measure it"
            + " on the fifth")
    Double answerLineCv;
    @Option(names = "--intent-only", description = "fit the intent thresholds on tune-cv and print the routes only")
    boolean intentOnly;
    @Option(names = "--tune-only", description = "print only tune-cv figures: the holdout is neither read nor"
        + " reported, so choices made while developing cannot lean on it")
    boolean tuneOnly;

    @Override
    public Integer call() throws Exception {
      AppConfig cfg = new ConfigLoader(System.getenv()).load(config == null ? ConfigLoader.DEFAULT_FILE : config,
          config != null);
      List<LabelledQuestion> tune = LabelledQuestion.tuneSet();
      List<LabelledQuestion> holdout = tuneOnly ? List.of() : LabelledQuestion.read(holdoutFile);
      Vertx vertx = Vertx.vertx();
      try {
        LegalKoi.Parts parts = LegalKoi.parts(vertx, cfg);
        cn.legalkoi.Main.await(parts.index().openOrBuild());
        String out = cn.legalkoi.Main.await(parts.index().onLiveIndex(g -> run(g, parts, cfg, tune, holdout)))
            .orElse("");
        System.out.print(out);
        parts.index().close();
        return 0;
      } finally {
        vertx.close();
      }
    }

    private String run(IndexGeneration g, LegalKoi.Parts parts, AppConfig cfg, List<LabelledQuestion> tune,
        List<LabelledQuestion> holdout) {
      Evaluation eval = new Evaluation(g, w -> parts.searcher().withWeights(w));
      StringBuilder out = new StringBuilder();
      if (answerLineCv != null) {
        return eval.answerLineCrossValidated(tune, parts.answers(), answerLineCv).format();
      }
      if (intentOnly) {
        IntentThresholds t = fitIntent(tune, parts.answers().intents().crossValidated());
        return "fitted " + t + "\n" + intentConfusion(tune, parts.answers().withThresholds(
            parts.answers().thresholds().withIntent(t)));
      }
      if (chains) {
        for (float share : new float[] {1f, 0f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f}) {
          RankingWeights w = cfg.ranking().withLexicalShare(share);
          out.append(String.format(Locale.ROOT, "hybrid lexicalShare=%.1f  %s%n", share, searchLine(eval, tune, holdout,
              w)));
        }
        for (float[] chain : new float[][] {{1, 0}, {0, 1}, {1, 1}, {1, 0.5f}, {0.5f, 1}}) {
          RankingWeights w = cfg.ranking().withChains(chain[0], chain[1]);
          out.append(String.format(Locale.ROOT, "chains bigrams=%.1f words=%.1f  %s%n", chain[0], chain[1],
              searchLine(eval, tune, holdout, w)));
        }
      }
      if (misses) {
        out.append(eval.misses(tune, parts.answers()));
      }
      out.append(eval.crossValidatedReport("tune-cv", tune, cfg.ranking(), parts.answers()).format());
      if (!tuneOnly) {
        out.append(eval.report("holdout", holdout, cfg.ranking(), parts.answers()).format());
      }
      if (fit) {
        DecisionThresholds fitted = eval.fit(tune, parts.answers());
        out.append("fitted thresholds: ").append(fitted).append('\n');
        AnswerService refit = parts.answers().withThresholds(fitted);
        out.append(intentConfusion(tune, refit));
        out.append(eval.crossValidatedReport("tune-cv", tune, cfg.ranking(), refit).format());
        if (!tuneOnly) {
          out.append(eval.report("holdout", holdout, cfg.ranking(), refit).format());
        }
      }
      return out.toString();
    }

    /** Search figures on the tune rows, and on the holdout unless {@code --tune-only}. */
    private String searchLine(Evaluation eval, List<LabelledQuestion> tune, List<LabelledQuestion> holdout,
        RankingWeights w) {
      double[] t = eval.searchMetrics(tune, w);
      String line = String.format(Locale.ROOT, "tune hit@1=%.3f hit@3=%.3f MRR=%.3f", t[1], t[2], t[3]);
      if (tuneOnly) {
        return line;
      }
      double[] h = eval.searchMetrics(holdout, w);
      return line + String.format(Locale.ROOT, "  holdout hit@1=%.3f hit@3=%.3f MRR=%.3f", h[1], h[2], h[3]);
    }
  }
}
