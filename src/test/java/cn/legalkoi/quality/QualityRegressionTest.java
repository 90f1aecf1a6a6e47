package cn.legalkoi.quality;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.answer.AnswerService;
import cn.legalkoi.answer.DecisionThresholds;
import cn.legalkoi.answer.Intent;
import cn.legalkoi.answer.LabelledQuestion;
import cn.legalkoi.answer.ReplyComposer;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.semantic.EmbeddingCache;
import cn.legalkoi.semantic.SemanticIndexing;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped guidance and decision against the frozen holdout: every figure must stay within a tolerance of
 * its committed expected value, so a loss fails the build and so does a gain nobody wrote down. Prints the full
 * report (tune figures are in-sample: the intent model learned from those rows).
 */
class QualityRegressionTest {
  static final Path HOLDOUT = Path.of("src/test/resources/quality/holdout.tsv");
  static final Path EXPECTED = Path.of("src/test/resources/quality/expected.properties");

  @ParameterizedTest(name = "semantic retrieval {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("on the holdout every figure is as committed, chatter is never answered with a citation, and refitting"
      + " on the tune rows gives the committed thresholds")
  void holdoutAsExpected(boolean semantic, @TempDir Path dir) throws Exception {
    AppConfig config = shippedConfig(semantic);
    String mode = semantic ? "semantic" : "lexical";
    Properties expected = expected();
    List<LabelledQuestion> tune = LabelledQuestion.tuneSet();
    List<LabelledQuestion> holdout = LabelledQuestion.read(HOLDOUT);
    try (TestIndex index = TestIndex.build(Fixtures.SHIPPED_KB, dir,
        Synonyms.parse(Utf8Files.read(config.synonymsFile())), semantic, config.ranking());
        EmbeddingCache cache = new EmbeddingCache(dir.resolve("intent-embeddings.db"))) {
      Optional<SemanticIndexing> vectors = semantic
          ? Optional.of(new SemanticIndexing(TestIndex.embedder(), cache)) : Optional.empty();
      AnswerService answers = new AnswerService(index.searcher, new ReplyComposer(config.publicBaseUrl(), config.promise()),
          LegalKoi.intentModel(vectors), config.thresholds());
      Evaluation eval = new Evaluation(index.generation, index.searcher::withWeights);
      QualityReport tuneReport = eval.report(mode + "-tune", tune, config.ranking(), answers);
      QualityReport report = eval.report(mode + "-holdout", holdout, config.ranking(), answers);
      System.out.print(tuneReport.format() + report.format());
      DecisionThresholds refit = eval.fit(tune, answers);

      assertAll(
          () -> near(expected, mode + ".hitAt1", report::hitAt1),
          () -> near(expected, mode + ".hitAt3", report::hitAt3),
          () -> near(expected, mode + ".mrr", report::mrr),
          () -> near(expected, mode + ".answerPrecision", report::answerPrecision),
          () -> near(expected, mode + ".answerAccuracy", () -> report.kindAccuracy("answer")),
          () -> near(expected, mode + ".escalateRecall", report::escalateRecall),
          () -> near(expected, mode + ".escalatePrecision", report::escalatePrecision),
          () -> near(expected, mode + ".smalltalkAccuracy", () -> report.kindAccuracy("smalltalk")),
          () -> near(expected, mode + ".noAnswerAccuracy", () -> report.kindAccuracy("no_answer")),
          () -> assertEquals(0, report.offTopicCited(), "chatter answered with a legal citation"),
          () -> assertEquals(config.thresholds(), refit, "refitting on the tune rows gives other thresholds"));
    }
  }

  @Test
  @DisplayName("the answer line is measured on tune rows it was not fitted on: every answerable tune row is held out"
      + " once, and a line fitted to answer nothing wrongly still answers")
  void answerLineCrossValidated(@TempDir Path dir) throws Exception {
    AppConfig config = shippedConfig(false);
    List<LabelledQuestion> tune = LabelledQuestion.tuneSet();
    try (TestIndex index = TestIndex.build(Fixtures.SHIPPED_KB, dir,
        Synonyms.parse(Utf8Files.read(config.synonymsFile())), false, config.ranking())) {
      AnswerService answers = new AnswerService(index.searcher, new ReplyComposer(config.publicBaseUrl(),
          config.promise()), LegalKoi.intentModel(Optional.empty()), config.thresholds());
      Evaluation.AnswerLineCheck check = new Evaluation(index.generation, index.searcher::withWeights)
          .answerLineCrossValidated(tune, answers, 1.0);
      assertEquals(tune.stream().filter(LabelledQuestion::expectsGuidance).count(), check.answerable(),
          "the answer line is fitted where the intent model errs too: every legal tune row is held out once");
      assertTrue(check.answered() > 0 && check.right() <= check.answered(), check.format());
    }
  }

  @Test
  @DisplayName("the holdout is frozen: its rows match the checksum committed beside the expected figures")
  void holdoutIsFrozen() throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(HOLDOUT)));
    assertEquals(expected().getProperty("holdout.sha256"), sha,
        "holdout.tsv changed: update holdout.sha256 and every expected figure in the same commit");
  }

  @Test
  @DisplayName("the labelled sets are large enough: 300+ tune utterances with 40+ per intent and 3+ per topic;"
      + " 30+ holdout rows per kind and 60+ escalations")
  void labelledSetSizes() throws Exception {
    List<LabelledQuestion> tune = LabelledQuestion.tuneSet();
    assertTrue(tune.size() >= 300, "tune rows: " + tune.size());
    Map<Intent, Long> perIntent = tune.stream()
        .collect(Collectors.groupingBy(LabelledQuestion::intent, Collectors.counting()));
    for (Intent intent : Intent.values()) {
      assertTrue(perIntent.getOrDefault(intent, 0L) >= 40, intent + ": " + perIntent.get(intent));
    }
    Map<String, Long> perTopic = tune.stream().filter(LabelledQuestion::expectsGuidance)
        .collect(Collectors.groupingBy(LabelledQuestion::docId, Collectors.counting()));
    List<GuidanceDocument> guidance = new KnowledgeLoader(List.of(Fixtures.SHIPPED_KB)).load().guidance();
    assertTrue(guidance.size() >= 53, "guidance documents: " + guidance.size());
    for (GuidanceDocument doc : guidance) {
      assertTrue(perTopic.getOrDefault(doc.id(), 0L) >= 3, "topic " + doc.id() + " has " + perTopic.get(doc.id()));
    }
    Map<String, Long> perKind = LabelledQuestion.read(HOLDOUT).stream()
        .collect(Collectors.groupingBy(LabelledQuestion::kind, Collectors.counting()));
    for (String kind : List.of("answer", "escalate", "smalltalk", "no_answer")) {
      assertTrue(perKind.getOrDefault(kind, 0L) >= 30, kind + ": " + perKind.get(kind));
    }
    assertTrue(perKind.get("escalate") >= 60, "escalations: " + perKind.get("escalate"));
  }

  static AppConfig shippedConfig(boolean semantic) throws Exception {
    JsonObject json = new JsonObject(Utf8Files.read(Path.of("config/application.json")));
    json.getJsonObject("search").put("semantic", new JsonObject().put("enabled", semantic));
    return new ConfigLoader(Map.of()).fromJson(json);
  }

  private static Properties expected() throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(Utf8Files.read(EXPECTED)));
    return p;
  }

  private static void near(Properties expected, String key, DoubleSupplier measured) {
    double value = measured.getAsDouble();
    String committed = expected.getProperty(key);
    assertTrue(committed != null, key + " has no expected value (measured " + value + ")");
    double tolerance = Double.parseDouble(expected.getProperty("tolerance"));
    double want = Double.parseDouble(committed);
    assertTrue(Math.abs(value - want) <= tolerance, String.format(java.util.Locale.ROOT,
        "%s = %.3f, expected %.3f ± %.3f: %s", key, value, want, tolerance,
        value > want ? "better than committed; raise the expected value" : "worse than committed"));
  }
}
