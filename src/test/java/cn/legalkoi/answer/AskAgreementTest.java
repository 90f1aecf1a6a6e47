package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ask's own search runs only where it can change the reply. Over the tune set's legal questions, read as legal
 * questions, the service must decide exactly as the answer line decides on every feature (what the thresholds were
 * fitted on), and some story whose ask finds other guidance must be held back by it.
 */
class AskAgreementTest {
  @Test
  @DisplayName("the service decides as the answer line on every feature, and a message whose ask finds other"
      + " guidance can lose its answer")
  void serviceDecidesAsFitted(@TempDir Path dir) throws Exception {
    JsonObject json = new JsonObject(Utf8Files.read(Path.of("config/application.json")));
    json.getJsonObject("search").put("semantic", new JsonObject().put("enabled", false));
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    double[] legal = new double[Intent.values().length];
    legal[Intent.LEGAL.ordinal()] = 1;
    IntentScores readAsLegal = new IntentScores(legal);
    try (TestIndex index = TestIndex.build(Fixtures.SHIPPED_KB, dir,
        Synonyms.parse(Utf8Files.read(config.synonymsFile())), false, config.ranking())) {
      AnswerService answers = new AnswerService(index.searcher, new ReplyComposer(config.publicBaseUrl(),
          config.promise()), LegalKoi.intentModel(Optional.empty()), config.thresholds());
      List<String> heldBack = new ArrayList<>();
      int answered = 0;
      for (LabelledQuestion row : LabelledQuestion.tuneSet()) {
        if (row.intent() != Intent.LEGAL) {
          continue;
        }
        MatchFeatures all = answers.features(index.generation, row.question());
        DecisionRule.Decision fitted = DecisionRule.decide(all, readAsLegal, config.thresholds());
        AskReply reply = answers.ask(index.generation, row.question(), () -> readAsLegal);
        boolean answer = fitted.kind() == AskReply.Kind.ANSWER;
        assertEquals(answer, reply.kind() == AskReply.Kind.ANSWER, row.question());
        if (answer) {
          answered++;
          assertEquals(fitted.docIds().get(0), reply.docIds().get(0), row.question());
        }
        DecisionRule.Decision agreeing = DecisionRule.decide(all.withAskBest(Optional.empty()), readAsLegal,
            config.thresholds());
        if (agreeing.kind() == AskReply.Kind.ANSWER && !all.askAgreesWith(agreeing.docIds().get(0)) && !answer) {
          heldBack.add(row.question());
          assertNotEquals(AskReply.Kind.ANSWER, reply.kind(), row.question());
        }
      }
      assertTrue(answered > 100, "legal tune questions answered: " + answered);
      assertTrue(!heldBack.isEmpty(), "no tune question was held back by its ask: the check is not exercised");
    }
  }
}
