package cn.legalkoi.quality;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.Main;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.search.IndexGeneration;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.SearchHit;
import cn.legalkoi.search.StatuteExamples;
import cn.legalkoi.search.StatuteRanking;
import cn.legalkoi.knowledge.Utf8Files;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Measures statute search on lay questions labelled with the articles a lawyer would cite: nDCG@10, MRR@10,
 * recall@10 and recall@100 of {@code kind=statute} searches, per part of the question set. Blocking: it searches.
 */
public final class StatuteEvaluation {
  private static final int TOP = 10;
  private static final int DEEP = 100;
  private static final String[] PARTS = {StatuteQuestion.FIT, StatuteQuestion.CHECK, "all"};

  private final IndexGeneration generation;
  private final List<StatuteQuestion> questions;

  public StatuteEvaluation(IndexGeneration generation, List<StatuteQuestion> questions) {
    this.generation = generation;
    this.questions = questions;
  }

  /**
   * Metrics per part ({@code fit}, {@code check}, {@code all}), each {n, nDCG@10, MRR@10, recall@10, recall@100,
   * milliseconds per top-10 search}. Recall@100 comes from a second search with limit 100, as a client asking for
   * 100 results would get them.
   */
  public double[][] measure(KnowledgeSearcher searcher) {
    return measure(q -> searcher);
  }

  /** The same, each question searched by its own searcher (e.g. one that never learns from its own labels). */
  public double[][] measure(Function<StatuteQuestion, KnowledgeSearcher> searchers) {
    double[][] sums = new double[PARTS.length][6];
    List<double[]> perQuestion = questions.parallelStream().map(q -> {
      KnowledgeSearcher searcher = searchers.apply(q);
      long start = System.nanoTime();
      List<String> top = docIds(searcher.search(generation, q.question(), TOP, SearchHit.STATUTE));
      double millis = (System.nanoTime() - start) / 1e6;
      double[] m = {1, RankingMetrics.ndcg(top, q.relevant(), TOP), RankingMetrics.reciprocalRank(top, q.relevant(), TOP),
          RankingMetrics.recall(top, q.relevant(), TOP),
          RankingMetrics.recall(docIds(searcher.search(generation, q.question(), DEEP, SearchHit.STATUTE)),
              q.relevant(), DEEP), millis};
      return m;
    }).toList();
    for (int i = 0; i < questions.size(); i++) {
      String part = questions.get(i).part();
      for (int p = 0; p < PARTS.length; p++) {
        if (PARTS[p].equals(part) || "all".equals(PARTS[p])) {
          for (int j = 0; j < 6; j++) {
            sums[p][j] += perQuestion.get(i)[j];
          }
        }
      }
    }
    for (double[] s : sums) {
      for (int j = 1; j < 6; j++) {
        s[j] = s[0] == 0 ? 0 : s[j] / s[0];
      }
    }
    return sums;
  }

  /**
   * Searchers that learn from the labelled {@code fit} questions, never from a question's own labels: a
   * {@code fit} question learns from the other {@code fit} questions (leave one out), a {@code check} question
   * from all of them, so that {@code check} stays unseen.
   */
  public static Function<StatuteQuestion, KnowledgeSearcher> learningFromFit(KnowledgeSearcher searcher,
      List<StatuteQuestion> questions, Function<List<String>, List<float[]>> vectors) {
    List<StatuteQuestion> fit = questions.stream().filter(q -> StatuteQuestion.FIT.equals(q.part())).toList();
    StatuteExamples learned = StatuteExamples.of(fit.stream().map(StatuteQuestion::qid).toList(),
        fit.stream().map(StatuteQuestion::question).toList(),
        fit.stream().map(q -> List.copyOf(q.relevant())).toList(), vectors);
    return q -> searcher.withExamples(StatuteQuestion.FIT.equals(q.part()) ? learned.without(q.qid()) : learned);
  }

  private static List<String> docIds(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::docId).toList();
  }

  static String format(String label, double[][] metrics, String onlyPart) {
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < PARTS.length; p++) {
      if (onlyPart != null && !onlyPart.equals(PARTS[p])) {
        continue;
      }
      double[] m = metrics[p];
      out.append(String.format(Locale.ROOT,
          "%-32s %-5s n=%4d  nDCG@10=%.3f  MRR@10=%.3f  recall@10=%.3f  recall@100=%.3f  %.1f ms/search%n",
          label, PARTS[p], (int) m[0], m[1], m[2], m[3], m[4], m[5]));
    }
    return out.toString();
  }

  /** {@code legal-koi evaluate-statutes}: statute search quality, per part and mode. */
  @CommandLine.Command(name = "evaluate-statutes", mixinStandardHelpOptions = true,
      description = "Measure statute search (nDCG@10, MRR@10, recall@10/@100) on questions labelled with articles.")
  public static final class Command implements Callable<Integer> {
    @CommandLine.Mixin
    Main.ConfigOption options = new Main.ConfigOption();
    @Option(names = "--questions", paramLabel = "FILE", defaultValue = "../shared/statute-eval/questions-train.tsv",
        description = "TSV of qid, question, relevant docIds joined by | (default: ${DEFAULT-VALUE})")
    Path questions;
    @Option(names = "--part", defaultValue = "all", description = "fit, check or all (default: ${DEFAULT-VALUE})")
    String part;
    @Option(names = "--mode", defaultValue = "both",
        description = "lexical, semantic or both (default: ${DEFAULT-VALUE})")
    String mode;
    @Option(names = "--variants", paramLabel = "FILE",
        description = "compare settings: one line each, a label, a tab, and JSON overriding search.ranking.statutes")
    Path variants;
    @Option(names = "--learn-from-fit",
        description = "search with the fit questions as labelled examples (search.statuteExamples): a fit question"
            + " never sees its own labels, a check question sees only fit labels")
    boolean learnFromFit;

    @Override
    public Integer call() throws Exception {
      AppConfig cfg = options.load();
      List<StatuteQuestion> rows = StatuteQuestion.read(questions);
      String onlyPart = "all".equals(part) ? null : part;
      // one evaluation runs for minutes on a search worker: that is expected here, not a blocked thread
      Vertx vertx = Vertx.vertx(new VertxOptions().setMaxWorkerExecuteTime(2).setMaxWorkerExecuteTimeUnit(
          java.util.concurrent.TimeUnit.HOURS));
      try {
        LegalKoi.Parts parts = LegalKoi.parts(vertx, cfg);
        Main.await(parts.index().openOrBuild());
        KnowledgeSearcher searcher = parts.searcher();
        Function<StatuteQuestion, KnowledgeSearcher> examples = q -> searcher;
        if (learnFromFit) {
          if (parts.semantic().isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                "--learn-from-fit needs semantic retrieval (search.semantic.enabled)");
          }
          examples = learningFromFit(searcher, rows, LegalKoi.questionVectors(parts.semantic().get()));
        }
        Function<StatuteQuestion, KnowledgeSearcher> withExamples = examples;
        List<StatuteQuestion> measured = onlyPart == null ? rows
            : rows.stream().filter(q -> q.part().equals(onlyPart)).toList();
        String out = Main.await(parts.index().onLiveIndex(g -> run(new StatuteEvaluation(g, measured), searcher,
            withExamples, onlyPart))).orElse("");
        System.out.print(out);
        parts.index().close();
        return 0;
      } finally {
        vertx.close();
      }
    }

    private String run(StatuteEvaluation eval, KnowledgeSearcher searcher,
        Function<StatuteQuestion, KnowledgeSearcher> withExamples, String onlyPart) {
      StringBuilder out = new StringBuilder();
      List<String[]> runs = new ArrayList<>();
      if (variants == null) {
        runs.add(new String[] {"configured", "{}"});
      } else {
        try {
          for (String line : Utf8Files.read(variants).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
              runs.add(line.split("\t", 2));
            }
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      for (String[] run : runs) {
        StatuteRanking ranking = ConfigLoader.statutes(new JsonObject(run[1]), searcher.weights().statutes());
        RankingWeights weights = searcher.weights().withStatutes(ranking);
        Function<StatuteQuestion, KnowledgeSearcher> tuned = q -> withExamples.apply(q).withWeights(weights);
        if (!"semantic".equals(mode)) {
          out.append(format(run[0] + " lexical", eval.measure(q -> tuned.apply(q).lexicalOnly()), onlyPart));
        }
        if (!"lexical".equals(mode)) {
          out.append(format(run[0] + " semantic", eval.measure(tuned), onlyPart));
        }
        System.out.print(out);
        System.out.flush();
        out.setLength(0);
      }
      return out.toString();
    }
  }
}
