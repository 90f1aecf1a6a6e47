package cn.legalkoi.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KnowledgeSearcherTest {
  @TempDir
  static Path dir;
  static TestIndex index;
  /** More than the fixture index holds, so a query that matched everything would show it. */
  static final int LIMIT = 50;

  @BeforeAll
  static void build() throws Exception {
    index = TestIndex.build(Fixtures.copyKnowledgeBase(dir), dir, Synonyms.parse("罚钱 => 罚款\n晚点交 => 暂缓, 分期缴纳\n"));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  private List<SearchHit> search(String q, String kind) {
    return index.searcher.search(index.generation, q, LIMIT, kind);
  }

  private List<String> ids(String q, String kind) {
    return search(q, kind).stream().map(SearchHit::docId).toList();
  }

  private static Set<String> docIds(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::docId).collect(Collectors.toSet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"行政处罚法第三十三条", "处罚法33条", "《中华人民共和国行政处罚法》第33条有什么规定", "请问行政处罚法 第 三十三 条"})
  @DisplayName("a question that names an article puts that article first")
  void namedArticleFirst(String q) {
    assertEquals("行政处罚法#33", ids(q, null).get(0));
  }

  @Test
  @DisplayName("劳动合同法第八十二条规定了什么 finds the article, and the guidance that cites it leads the guidance")
  void namedArticleAndCitingGuidance() {
    assertEquals("劳动合同法#82", ids("劳动合同法第八十二条规定了什么", null).get(0));
    assertEquals("double-wages", ids("劳动合同法第八十二条规定了什么", SearchHit.GUIDANCE).get(0));
    assertEquals("行政处罚法#120-1", ids("行政处罚法第一百二十条之一", null).get(0));
  }

  @Test
  @DisplayName("statute results carry the article id, the law's full name as citation and a snippet")
  void statuteHitShape() {
    SearchHit hit = search("行政处罚法第三十三条", SearchHit.STATUTE).get(0);
    assertEquals("statute", hit.kind());
    assertEquals("《中华人民共和国行政处罚法》第三十三条", hit.citation());
    assertTrue(hit.snippet().contains("不予处罚"), hit.snippet());
  }

  @Test
  @DisplayName("only the newest version of a law is searched")
  void newestVersionOnly() {
    List<SearchHit> hits = search("旧版本 测试条文", SearchHit.STATUTE);
    assertFalse(hits.isEmpty(), "the words are in current passages too");
    for (SearchHit hit : hits) {
      assertFalse(hit.snippet().contains("旧版"), hit.toString());
    }
  }

  @Test
  @DisplayName("owner wording finds the guidance: colloquial question, filler words, synonyms")
  void ownerWording() {
    assertEquals("first-offence", ids("第一次违规能不能不罚款啊", SearchHit.GUIDANCE).get(0));
    assertEquals("double-wages", ids("请问员工没签合同怎么办", SearchHit.GUIDANCE).get(0));
    assertEquals("fine-instalments", ids("罚钱能晚点交吗", SearchHit.GUIDANCE).get(0));
  }

  @Test
  @DisplayName("filler words alone find nothing rather than everything")
  void fillerOnly() {
    assertTrue(search("请问怎么办呢？", null).isEmpty());
  }

  @Test
  @DisplayName("a quoted phrase lifts the passages that contain it as written, and excludes nothing")
  void phrase() {
    List<SearchHit> words = search("行为轻微", null);
    List<SearchHit> quoted = search("“行为轻微”", null);
    assertEquals("first-offence", words.get(0).docId(), "unquoted, the guidance leads: " + words);
    assertEquals("行政处罚法#33", quoted.get(0).docId(), "quoted, the article that has 违法行为轻微 leads: " + quoted);
    assertEquals(docIds(words), docIds(quoted), "quotes exclude nothing");
    assertTrue(quoted.size() > 1, quoted.toString());
    for (SearchHit hit : quoted.subList(1, quoted.size())) {
      SearchHit unquoted = words.stream().filter(w -> w.docId().equals(hit.docId())).findFirst().orElseThrow();
      assertEquals(unquoted.score(), hit.score(), 1e-4f, "a passage without the phrase keeps its score: " + hit);
    }

    List<SearchHit> exact = search("\"分期缴纳罚款\"", SearchHit.STATUTE);
    assertEquals("行政处罚法#66", exact.get(0).docId(), exact.toString());
    List<SearchHit> reversed = search("“罚款缴纳分期”", SearchHit.STATUTE);
    assertFalse(reversed.isEmpty(), "words in another order still find passages");
    assertTrue(exact.get(0).score() > reversed.get(0).score(), "the exact phrase scores higher");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      罚款 AND (分期               | 罚款 AND 分期            | fine-instalments
      *:* 劳动合同                 | 劳动合同                 | double-wages
      劳动合同 AND (工资 OR        | 劳动合同 AND 工资 OR     | double-wages
      title:罚款 OR body:[a TO z]  | title 罚款 OR body a TO z | fine-instalments
      罚款~2 +分期 -缴纳           | 罚款 2 分期 缴纳          | fine-instalments
      """)
  @DisplayName("query syntax in a question finds what the same characters find as plain words, never everything")
  void syntaxFindsWhatItsWordsFind(String typed, String asWords, String first) {
    for (String kind : new String[] {null, SearchHit.GUIDANCE, SearchHit.STATUTE}) {
      assertEquals(ids(asWords, kind), ids(typed, kind), "kind " + kind);
    }
    List<String> found = ids(typed, null);
    assertEquals(first, found.get(0), found.toString());
    assertTrue(found.size() < Fixtures.SEARCHABLE_PASSAGES, found.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"*:*", "AND (", "* AND *", "(*)", "*"})
  @DisplayName("query syntax alone finds nothing, as its characters do as words, rather than everything")
  void syntaxAloneFindsNothing(String q) {
    assertEquals(List.of(), ids(q, null));
    assertEquals(List.of(), ids(q, SearchHit.GUIDANCE));
    assertEquals(List.of(), ids(q, SearchHit.STATUTE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"AND (", "*:*", "\"", "罚款 OR", "title:罚款", "罚款~2", "[a TO b]", "\\", "+-!(){}[]^\"~*?:\\/",
      "💥💥", "罚款\u0000"})
  @DisplayName("query syntax is just text: no exception, whatever is typed")
  void syntaxIsText(String q) {
    search(q, null);
    search(q, SearchHit.GUIDANCE);
  }

  @Test
  @DisplayName("the kind filter keeps to guidance or statutes")
  void kindFilter() {
    List<SearchHit> guidance = search("罚款", SearchHit.GUIDANCE);
    List<SearchHit> statutes = search("罚款", SearchHit.STATUTE);
    assertFalse(guidance.isEmpty());
    assertFalse(statutes.isEmpty());
    assertTrue(guidance.stream().allMatch(SearchHit::isGuidance), guidance.toString());
    assertTrue(statutes.stream().noneMatch(SearchHit::isGuidance), statutes.toString());
  }
}
