package cn.legalkoi.semantic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How often a question goes through the model: once per message, and once at all while it is recent. */
class EmbedderQuestionsTest {
  private static final String FIRST = "第一次违规能不能不罚款";
  private static final String SECOND = "员工加班费怎么算";

  @Test
  void oneMessageIsEmbeddedOnceForItsDecisionAndItsSearchEvenWithNoRecentQuestionsKept() throws Exception {
    try (Embedder embedder = new Embedder(1, 0)) {
      float[] forDecision = embedder.embedQuestion(FIRST).get(60, TimeUnit.SECONDS);
      float[] forSearch = embedder.embedQuestion(FIRST).get(60, TimeUnit.SECONDS);
      assertArrayEquals(forDecision, forSearch);
      assertEquals(1, embedder.questionsEmbedded());

      embedder.embedQuestion(SECOND).get(60, TimeUnit.SECONDS);
      embedder.embedQuestion(FIRST).get(60, TimeUnit.SECONDS);
      assertEquals(3, embedder.questionsEmbedded(), "with none kept, a question asked again is embedded again");
    }
  }

  @Test
  void aRecentQuestionIsNotEmbeddedAgainFromAnotherThread() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Embedder embedder = new Embedder(1, 8)) {
      float[] first = embedder.embedQuestion(FIRST).get(60, TimeUnit.SECONDS);
      embedder.embedQuestion(SECOND).get(60, TimeUnit.SECONDS);
      float[] again = CompletableFuture.supplyAsync(() -> embedder.embedQuestion(FIRST).join(), other)
          .get(60, TimeUnit.SECONDS);
      assertArrayEquals(first, again);
      assertEquals(2, embedder.questionsEmbedded());
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void theSameQuestionOnAnotherThreadIsEmbeddedAgainWhenNoneAreKept() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Embedder embedder = new Embedder(1, 0)) {
      embedder.embedQuestion(FIRST).get(60, TimeUnit.SECONDS);
      CompletableFuture.supplyAsync(() -> embedder.embedQuestion(FIRST).join(), other).get(60, TimeUnit.SECONDS);
      assertEquals(2, embedder.questionsEmbedded(), "another ask of the same text is another message");
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void aNegativeNumberOfRecentQuestionsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Embedder(1, -1));
  }
}
