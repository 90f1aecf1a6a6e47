package cn.legalkoi.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatuteParserTest {
  private final StatuteParser parser = new StatuteParser();

  private Statute fixture() throws Exception {
    Path file = Fixtures.find(Fixtures.FIXTURE_KB.resolve("statutes"), "(2021-01-22)");
    return parser.parse(Utf8Files.read(file), file.toString(), "行政处罚法(2021-01-22).md");
  }

  @Test
  @DisplayName("a messy official-style text splits into one passage per article, with 之一 and odd spaces")
  void splitsArticles() throws Exception {
    Statute statute = fixture();
    assertEquals("中华人民共和国行政处罚法", statute.title());
    assertEquals("行政处罚法", statute.shortTitle());
    assertEquals(LocalDate.of(2021, 1, 22), statute.version());
    List<String> ids = statute.articles().stream().map(a -> a.key().docId()).toList();
    assertEquals(List.of("行政处罚法#1", "行政处罚法#2", "行政处罚法#29", "行政处罚法#32", "行政处罚法#33",
        "行政处罚法#66", "行政处罚法#120-1"), ids);
  }

  @Test
  @DisplayName("metadata and HTML comments before the first article are not part of any article")
  void skipsPreamble() throws Exception {
    StatuteArticle first = fixture().articles().get(0);
    assertEquals("测试条文：本法的目的是规范测试。", first.text());
  }

  @Test
  @DisplayName("款 and 项 stay with their article; a paragraph that merely mentions an earlier article does not start one")
  void keepsParagraphs() throws Exception {
    Statute statute = fixture();
    StatuteArticle a32 = statute.articles().get(3);
    assertTrue(a32.text().contains("（一）主动消除危害后果的；"), a32.text());
    assertTrue(a32.text().contains("（二）受他人胁迫的。"), a32.text());
    StatuteArticle a33 = statute.articles().get(4);
    assertTrue(a33.text().contains("第三十二条 的规定在这里被引用"), a33.text());
    assertTrue(a33.text().contains("违法行为轻微"), "zero-width characters are removed: " + a33.text());
  }

  @Test
  @DisplayName("the heading path keeps 章 and 节 at any Markdown level, and replaces siblings")
  void keepsHeadingPath() throws Exception {
    Statute statute = fixture();
    assertEquals(List.of("第一章 总则"), statute.articles().get(0).headings());
    assertEquals(List.of("第二章 适用", "第一节 一般规定"), statute.articles().get(2).headings());
    assertEquals(List.of("第三章 执行"), statute.articles().get(5).headings());
  }

  @Test
  @DisplayName("plain-text chapter lines and full-width spaces are understood as well")
  void plainChapterLines() throws Exception {
    String text = "# 示例条例\n第一章\u3000总则\n第一条\u3000一。\n第二章 附则\n第二条\u2002二。\n第三条　三。\n";
    Statute statute = parser.parse(text, "x.md", "示例条例.md");
    assertEquals(3, statute.articles().size());
    assertEquals(List.of("第二章 附则"), statute.articles().get(1).headings());
    assertNull(statute.version());
  }

  @Test
  @DisplayName("files without a title line or without any article are rejected with a reason")
  void rejectsEmptyOrTitleless() {
    assertThrows(StatuteParser.InvalidStatuteException.class, () -> parser.parse("", "a.md", "a.md"));
    assertThrows(StatuteParser.InvalidStatuteException.class, () -> parser.parse("第一条 没有标题。", "a.md", "a.md"));
    StatuteParser.InvalidStatuteException e = assertThrows(StatuteParser.InvalidStatuteException.class,
        () -> parser.parse("# 只有标题\n\n说明文字。\n", "a.md", "a.md"));
    assertTrue(e.getMessage().contains("no articles"));
  }

  @Test
  @DisplayName("version dates come from names like 法(2021-01-22).md, with ASCII or full-width brackets")
  void versionDates() {
    assertEquals(LocalDate.of(2021, 1, 22), StatuteParser.versionOf("行政处罚法(2021-01-22).md"));
    assertEquals(LocalDate.of(2018, 12, 29), StatuteParser.versionOf("劳动法（2018-12-29）.md"));
    assertNull(StatuteParser.versionOf("劳动法.md"));
    assertNull(StatuteParser.versionOf("劳动法(2018-13-45).md"));
    assertFalse(StatuteParser.versionOf("劳动法(2018-12-29).md") == null);
  }
}
