package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.search.StatuteRanking;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statute search learning from questions advisers answered with citations ({@code search.statuteExamples}): two
 * services on the same knowledge base with semantic retrieval, one given an examples file, one without.
 */
@ExtendWith(VertxExtension.class)
class StatuteExamplesApiTest {
  /** Asked in other words than any example; without examples it finds the article on instalments (#66). */
  private static final String QUESTION = "罚款交不起，可以晚点分几次交吗";
  /** An article the examples cite for questions like it; an old version of it exists too. */
  private static final String CITED = "行政处罚法#1";
  private static final String EXAMPLES = """
      qid\tquestion\trelevant
      e1\t罚款数额太大一次交不上，能不能分期缴纳\t行政处罚法#1
      e2\t经营困难，交罚款能缓一缓吗\t行政处罚法#1
      e4\t罚款能不能分几次交\t行政处罚法#1
      e3\t员工入职半年没签劳动合同，老板要赔钱吗\t劳动合同法#82
      """;

  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService learning;
  static TestService plain;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    Path examples = Files.writeString(dir.resolve("examples.tsv"), EXAMPLES, StandardCharsets.UTF_8);
    learning = service("learning", config -> config.getJsonObject("search").put("statuteExamples",
        examples.toString()));
    plain = service("plain", config -> { });
  }

  private static TestService service(String name, java.util.function.Consumer<JsonObject> change) throws Exception {
    Path kb = Fixtures.copyKnowledgeBase(dir.resolve(name));
    JsonObject config = TestService.config(kb, dir.resolve(name + "-data"));
    config.getJsonObject("search").put("semantic", new JsonObject().put("enabled", true));
    change.accept(config);
    return TestService.start(vertx, kb, dir.resolve(name + "-data"), config);
  }

  @AfterAll
  static void stop() throws Exception {
    learning.close();
    plain.close();
    await(vertx.close());
  }

  private static Future<JsonArray> search(TestService service, String q, String kind) {
    return service.client.get("/api/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&kind=" + kind)
        .send().expecting(HttpResponseExpectation.SC_OK).map(r -> r.bodyAsJsonObject().getJsonArray("results"));
  }

  private static List<String> docIds(JsonArray results) {
    return results.stream().map(o -> ((JsonObject) o).getString("docId")).toList();
  }

  @Test
  @DisplayName("examples that cite an article lift it first for a question in other words; without them it is not first")
  void liftsCitedArticle(VertxTestContext ctx) {
    Future.all(search(plain, QUESTION, "statute"), search(learning, QUESTION, "statute"))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonArray without = both.resultAt(0);
          JsonArray with = both.resultAt(1);
          assertFalse(without.isEmpty(), "the question finds articles without examples");
          assertNotEquals(CITED, docIds(without).get(0), without.encodePrettily());
          assertEquals(CITED, docIds(with).get(0), with.encodePrettily());
          assertTrue(docIds(with).contains("行政处罚法#66"), "what the question's own words find stays");
          for (Object o : with) {
            JsonObject hit = (JsonObject) o;
            assertEquals("statute", hit.getString("kind"));
            assertFalse(hit.getString("snippet").contains("旧版"), "an old version gets no evidence: " + hit);
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("examples change neither guidance search nor a statute question unlike every example")
  void changesNothingElse(VertxTestContext ctx) {
    String unlike = "本法的目的是什么";
    float[] asked = TestIndex.embedder().embed(unlike);
    for (String example : EXAMPLES.strip().lines().skip(1).map(l -> l.split("\t")[1]).toList()) {
      float similarity = dot(asked, TestIndex.embedder().embed(example));
      assertTrue(similarity < StatuteRanking.defaults().exampleSimilarity(),
          "precondition: unlike " + example + " (" + similarity + ")");
    }
    Future.all(List.of(search(plain, QUESTION, "guidance"), search(learning, QUESTION, "guidance"),
        search(plain, Fixtures.PARAPHRASE, "guidance"), search(learning, Fixtures.PARAPHRASE, "guidance"),
        search(plain, unlike, "statute"), search(learning, unlike, "statute")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 6; i += 2) {
            JsonArray without = all.resultAt(i);
            JsonArray with = all.resultAt(i + 1);
            assertFalse(without.isEmpty(), "search " + i + " finds something");
            assertEquals(docIds(without), docIds(with), with.encodePrettily());
          }
          ctx.completeNow();
        })));
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
