package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.legalkoi.config.ServicePromise;
import cn.legalkoi.search.ChineseAnalysis;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service with semantic retrieval serves its first index before the vectors are computed, so that owners get
 * lexical answers meanwhile: the decision must then be the one fitted for lexical search, not the semantic line,
 * which reads a similarity that is not there yet.
 */
class AnswerBeforeVectorsTest {
  @Test
  @DisplayName("while the first index has no vectors yet, an answerable question is answered, not met with 'no answer'")
  void answersFromTheLexicalIndex(@TempDir Path dir) throws Exception {
    try (TestIndex index = TestIndex.build(Fixtures.SHIPPED_KB, dir, Synonyms.none())) {
      KnowledgeSearcher semantic = new KnowledgeSearcher(ChineseAnalysis.bigrams(), ChineseAnalysis.words(),
          Synonyms.none(), RankingWeights.defaults(), Optional.of(TestIndex.embedder()));
      AnswerService answers = new AnswerService(semantic, new ReplyComposer("http://127.0.0.1:8080",
          ServicePromise.defaults()), IntentModel.byCharacters(LabelledQuestion.tuneSet()),
          DecisionThresholds.defaults());
      AskReply reply = answers.ask(index.generation, "第一次违规能不能不罚款");
      assertEquals(AskReply.Kind.ANSWER, reply.kind(), reply.toString());
      assertEquals("penalty-minor-no-penalty", reply.docIds().get(0));
      assertEquals(AskReply.Kind.ESCALATE, answers.ask(index.generation, "麻烦帮我联系一位顾问老师，想当面请教").kind(),
          "the intent model still routes as configured");
    }
  }
}
