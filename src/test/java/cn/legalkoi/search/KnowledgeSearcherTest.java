package cn.legalkoi.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnowledgeSearcherTest {
  @TempDir
  static Path dir;
  static TestIndex index;

  @BeforeAll
  static void build() throws Exception {
    index = TestIndex.build(Fixtures.copyKnowledgeBase(dir), dir, Synonyms.parse("罚钱 => 罚款\n晚点交 => 暂缓, 分期缴纳\n"));
  }

  @AfterAll
  static void close() {
    index.close();
  }

  private List<SearchHit> search(String q, String kind) {
    return index.searcher.search(index.generation, q, 10, kind);
  }

  private List<String> ids(String q, String kind) {
    return search(q, kind).stream().map(SearchHit::docId).toList();
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
    for (SearchHit hit : search("旧版本 测试条文", SearchHit.STATUTE)) {
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
    List<SearchHit> quoted = search("\"分期缴纳罚款\"", SearchHit.STATUTE);
    assertEquals("行政处罚法#66", quoted.get(0).docId(), quoted.toString());
    List<SearchHit> reversed = search("“罚款缴纳分期”", SearchHit.STATUTE);
    assertFalse(reversed.isEmpty(), "words in another order still find passages");
    assertTrue(quoted.get(0).score() > reversed.get(0).score(), "the exact phrase scores higher");
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
    assertTrue(search("罚款", SearchHit.GUIDANCE).stream().allMatch(SearchHit::isGuidance));
    assertTrue(search("罚款", SearchHit.STATUTE).stream().noneMatch(SearchHit::isGuidance));
  }
}
