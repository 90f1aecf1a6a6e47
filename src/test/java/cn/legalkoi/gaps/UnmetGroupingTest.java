package cn.legalkoi.gaps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import cn.legalkoi.config.ConfigLoader;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.semantic.Embedder;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Grouping, masking and the review age, each on its own small worked example. */
class UnmetGroupingTest {
  private static long at;

  private static UnmetQuestion asked(String text, Outcome... outcomes) {
    at += 1000;
    return new UnmetQuestion("web/" + at, text, at, EnumSet.copyOf(List.of(outcomes)));
  }

  private static QuestionGroups.Group groupOf(List<QuestionGroups.Group> groups, String text) {
    return groups.stream().filter(g -> g.examples().contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError(text + " in no group: " + groups));
  }

  @Test
  @DisplayName("by characters: paraphrases sharing words are one group, counted with their outcomes; others apart")
  void byCharacters() {
    List<UnmetQuestion> questions = List.of(
        asked("营业执照丢了怎么补办", Outcome.NO_ANSWER),
        asked("营业执照不见了，要怎么补办", Outcome.NO_ANSWER),
        asked("营业执照丢了怎么补办", Outcome.CLARIFY, Outcome.UNSATISFIED),
        asked("店里的背景音乐要交版权费吗", Outcome.NO_ANSWER));
    QuestionSimilarity similarity = QuestionSimilarity.byCharacters();
    List<QuestionGroups.Group> groups = QuestionGroups.of(questions, similarity.representation(),
        similarity.threshold());
    assertEquals(2, groups.size(), groups.toString());
    QuestionGroups.Group licence = groups.get(0);
    assertEquals(3, licence.count());
    assertEquals("营业执照丢了怎么补办", licence.representative(), "asked twice, so the most central");
    assertEquals(List.of("营业执照丢了怎么补办", "营业执照不见了，要怎么补办"), licence.examples());
    assertEquals(Map.of(Outcome.NO_ANSWER, 2, Outcome.CLARIFY, 1, Outcome.UNSATISFIED, 1), licence.outcomes());
    assertEquals(questions.get(0).askedAt(), licence.firstSeen());
    assertEquals(questions.get(2).askedAt(), licence.lastSeen());
    assertEquals(1, groupOf(groups, "店里的背景音乐要交版权费吗").count());
  }

  @Test
  @DisplayName("a group shows at most five examples, its representative first")
  void fiveExamples() {
    List<UnmetQuestion> questions = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      questions.add(asked("商标被人抢注了怎么办" + "呢".repeat(i), Outcome.NO_ANSWER));
    }
    QuestionSimilarity similarity = QuestionSimilarity.byCharacters();
    List<QuestionGroups.Group> groups = QuestionGroups.of(questions, similarity.representation(),
        similarity.threshold());
    assertEquals(1, groups.size());
    assertEquals(8, groups.get(0).count());
    assertEquals(QuestionGroups.EXAMPLES, groups.get(0).examples().size());
    assertEquals(groups.get(0).representative(), groups.get(0).examples().get(0));
  }

  @Test
  @DisplayName("by meaning: a paraphrase characters keep apart joins its group; an unrelated question does not")
  void byMeaning() {
    // few characters in common; by meaning the pair is 0.84 alike (cosine)
    List<UnmetQuestion> questions = List.of(
        asked("员工没签劳动合同，要付双倍工资吗", Outcome.NO_ANSWER),
        asked("招了人没签合同，是不是要赔两倍工资", Outcome.NO_ANSWER),
        asked("离婚以后房产怎么分割", Outcome.NO_ANSWER));
    try (Embedder embedder = new Embedder(1)) {
      QuestionSimilarity similarity = QuestionSimilarity.byMeaning(new RecentVectors(embedder)::of);
      List<QuestionGroups.Group> groups = QuestionGroups.of(questions, similarity.representation(),
          similarity.threshold());
      assertEquals(groupOf(groups, "员工没签劳动合同，要付双倍工资吗"), groupOf(groups, "招了人没签合同，是不是要赔两倍工资"),
          groups.toString());
      assertNotEquals(groupOf(groups, "员工没签劳动合同，要付双倍工资吗"), groupOf(groups, "离婚以后房产怎么分割"));
    }
  }

  @Test
  @DisplayName("mobile and ID-card numbers are masked; other numbers are left as they are")
  void masksPersonalNumbers() {
    assertEquals("电话138****5678，急", cn.legalkoi.logging.PersonalDataMask.mask("电话13812345678，急"));
    assertEquals("打138****5678或159****0000", cn.legalkoi.logging.PersonalDataMask.mask("打+86 138-1234-5678或15900000000"));
    assertEquals("身份证110***********123X", cn.legalkoi.logging.PersonalDataMask.mask("身份证11010519491231123X"));
    assertEquals("老身份证110*********123", cn.legalkoi.logging.PersonalDataMask.mask("老身份证110105491231123"));
    assertEquals("订单号20241231123456789012，罚款2000元", cn.legalkoi.logging.PersonalDataMask.mask("订单号20241231123456789012，罚款2000元"));
    assertEquals("座机12345678", cn.legalkoi.logging.PersonalDataMask.mask("座机12345678"));
  }

  private static GuidanceDocument reviewed(String id, LocalDate date) {
    return new GuidanceDocument(id, "标题" + id, "类别", List.of(), List.of(), date, date, Map.of(), "", id + ".md");
  }

  @Test
  @DisplayName("guidance is stale once reviewed more than the maximum age ago, listed oldest first with whole months")
  void staleGuidance() {
    LocalDate today = LocalDate.of(2026, 11, 29);
    List<StaleGuidance.Stale> stale = StaleGuidance.of(List.of(
        reviewed("exactly-a-year", LocalDate.of(2025, 11, 29)),
        reviewed("a-year-and-a-day", LocalDate.of(2025, 11, 28)),
        reviewed("fresh", LocalDate.of(2026, 10, 1)),
        reviewed("ancient", LocalDate.of(2019, 3, 15))), today, 12);
    assertEquals(List.of("ancient", "a-year-and-a-day"), stale.stream().map(StaleGuidance.Stale::id).toList());
    assertEquals(List.of(92L, 12L), stale.stream().map(StaleGuidance.Stale::ageMonths).toList());
  }

  @Test
  @DisplayName("the review age is read from review.maxAgeMonths and is 12 months when the config leaves it out")
  void reviewAgeConfig() {
    ConfigLoader loader = new ConfigLoader(Map.of());
    assertEquals(12, loader.fromJson(new JsonObject()).review().maxAgeMonths());
    assertEquals(6, loader.fromJson(new JsonObject().put("review", new JsonObject().put("maxAgeMonths", 6)))
        .review().maxAgeMonths());
  }
}
