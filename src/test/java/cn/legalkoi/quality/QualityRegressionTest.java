package cn.legalkoi.quality;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.answer.AnswerService;
import cn.legalkoi.answer.ReplyComposer;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.vertx.core.json.JsonObject;

/**
 * The shipped guidance against the labelled owner questions: search hit rates and the answer decision must stay
 * above the committed floors. Prints the full report, so a change in ranking shows its numbers in the build log.
 */
class QualityRegressionTest {
  static final Path QUESTIONS = Path.of("src/test/resources/quality/questions.tsv");
  static final Path FLOORS = Path.of("src/test/resources/quality/floors.properties");

  @ParameterizedTest(name = "semantic retrieval {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("the shipped guidance answers the labelled owner questions at or above the committed floors")
  void aboveFloors(boolean semantic, @TempDir Path dir) throws Exception {
    AppConfig shipped = new ConfigLoader(Map.of()).load(Path.of("config/application.json"), true);
    JsonObject json = new JsonObject(Utf8Files.read(Path.of("config/application.json")));
    json.getJsonObject("search").put("semantic", new JsonObject().put("enabled", semantic));
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    String mode = semantic ? "semantic" : "lexical";
    Properties floors = new Properties();
    floors.load(new StringReader(Utf8Files.read(FLOORS)));
    List<LabelledQuestion> rows = LabelledQuestion.read(QUESTIONS);
    try (TestIndex index = TestIndex.build(Fixtures.SHIPPED_KB, dir,
        Synonyms.parse(Utf8Files.read(shipped.synonymsFile())), semantic, config.ranking())) {
      AnswerService answers = new AnswerService(index.searcher, new ReplyComposer(config.publicBaseUrl()),
          config.thresholds());
      Evaluation eval = new Evaluation(index.generation, index.searcher::withWeights);
      QualityReport all = eval.report(mode, rows, config.ranking(), answers);
      QualityReport tune = eval.report(mode + "-tune", split(rows, LabelledQuestion.TUNE), config.ranking(), answers);
      QualityReport holdout = eval.report(mode + "-holdout", split(rows, LabelledQuestion.HOLDOUT), config.ranking(),
          answers);
      System.out.print(all.format() + tune.format() + holdout.format());

      assertAll(
          () -> atLeast(floors, mode + ".hitAt3", all.hitAt3()),
          () -> atLeast(floors, mode + ".hitAt1", all.hitAt1()),
          () -> atLeast(floors, mode + ".mrr", all.mrr()),
          () -> atLeast(floors, mode + ".answerPrecision", all.answerPrecision()),
          () -> atLeast(floors, mode + ".answerAccuracy", all.kindAccuracy("answer")),
          () -> atLeast(floors, "escalateRecall", all.escalateRecall()),
          () -> atLeast(floors, "tune.escalateRecall", tune.escalateRecall()),
          () -> atLeast(floors, "holdout.escalateRecall", holdout.escalateRecall()),
          () -> atLeast(floors, "smalltalkAccuracy", all.kindAccuracy("smalltalk")),
          () -> assertEquals(0, all.offTopicCited(), "off-topic lines answered with a legal citation"),
          () -> assertEquals(0, all.offTopicEscalated(), "off-topic lines escalated"));
    }
  }

  @Test
  @DisplayName("the labelled set is large enough: 250+ rows, 3+ per topic, 30+ escalations, 20+ off-topic lines")
  void labelledSetSize() throws Exception {
    List<LabelledQuestion> rows = LabelledQuestion.read(QUESTIONS);
    assertTrue(rows.size() >= 250, "rows: " + rows.size());
    assertTrue(rows.stream().filter(r -> "escalate".equals(r.kind())).count() >= 30);
    assertTrue(rows.stream().filter(r -> "smalltalk".equals(r.kind())).count() >= 20);
    Map<String, Long> perTopic = rows.stream().filter(LabelledQuestion::expectsGuidance)
        .collect(java.util.stream.Collectors.groupingBy(LabelledQuestion::docId, java.util.stream.Collectors.counting()));
    List<GuidanceDocument> shipped = new KnowledgeLoader(List.of(Fixtures.SHIPPED_KB)).load().guidance();
    assertFalse(shipped.isEmpty(), "no shipped guidance loaded");
    for (GuidanceDocument doc : shipped) {
      assertTrue(perTopic.getOrDefault(doc.id(), 0L) >= 3, "topic " + doc.id() + " has " + perTopic.get(doc.id()));
    }
  }

  private static List<LabelledQuestion> split(List<LabelledQuestion> rows, String split) {
    return rows.stream().filter(r -> split.equals(r.split())).toList();
  }

  private static void atLeast(Properties floors, String key, double value) {
    double floor = Double.parseDouble(floors.getProperty(key));
    assertTrue(value >= floor, key + " = " + value + " is below the floor " + floor);
  }
}
