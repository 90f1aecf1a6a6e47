package cn.legalkoi.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GuidanceParserTest {
  private final GuidanceParser parser = new GuidanceParser();

  static String doc(String frontMatter, String body) {
    return "---\n" + frontMatter + "---\n" + body;
  }

  static final String GOOD_META = "id: sample-doc\ntitle: 示例\ncategory: 测试\nquestions:\n  - 问一\n  - 问二\n  - 问三\n"
      + "basis:\n  - 《中华人民共和国行政处罚法》第三十三条\neffective: 2021-07-15\nreviewed: '2026-11-27'\n";
  static final String GOOD_BODY = "## 简要回答\n短答。\n\n## 详细说明\n详细。\n\n## 法律依据\n- 依据\n\n## 办理指引\n步骤。\n";

  @Test
  @DisplayName("a complete document yields its fields and sections")
  void parsesComplete() throws Exception {
    GuidanceDocument d = parser.parse(doc(GOOD_META, GOOD_BODY), "p.md", "sample-doc");
    assertEquals("sample-doc", d.id());
    assertEquals(3, d.questions().size());
    assertEquals(LocalDate.of(2021, 7, 15), d.effective());
    assertEquals(LocalDate.of(2026, 11, 27), d.reviewed());
    assertEquals("短答。", d.shortAnswer());
    assertTrue(GuidanceParser.missingSections(d).isEmpty());
  }

  @Test
  @DisplayName("Windows line endings and a missing optional section are accepted, the gap is named")
  void toleratesCrLf() throws Exception {
    String text = doc(GOOD_META, "## 简要回答\n短答。\n").replace("\n", "\r\n");
    GuidanceDocument d = parser.parse(text, "p.md", null);
    assertEquals(java.util.List.of("详细说明", "法律依据", "办理指引"), GuidanceParser.missingSections(d));
  }

  @Test
  @DisplayName("provenance keys of published proposals (author, ticket, proposal, publishedBy) are accepted")
  void acceptsProvenanceKeys() throws Exception {
    String meta = GOOD_META + "author: \"zhang.san\"\nticket: 42\nproposal: 7\npublishedBy: \"admin\"\n";
    GuidanceDocument d = parser.parse(doc(meta, GOOD_BODY), "p.md", "sample-doc");
    assertEquals("sample-doc", d.id());
    assertTrue(GuidanceParser.missingSections(d).isEmpty());
  }

  private String reason(String text) {
    return assertThrows(GuidanceParser.InvalidGuidanceException.class, () -> parser.parse(text, "p.md", "sample-doc"))
        .getMessage();
  }

  @Test
  @DisplayName("each kind of broken file is rejected with a reason an admin can act on")
  void rejectsBroken() {
    assertEquals("empty file", reason("  \n"));
    assertTrue(reason("## 简要回答\n没有元数据").contains("missing front matter"));
    assertTrue(reason("---\nid: x\n").contains("not closed"));
    assertTrue(reason(doc("id: [unclosed\n", GOOD_BODY)).contains("not valid YAML"));
    assertTrue(reason(doc("- just\n- a list\n", GOOD_BODY)).contains("mapping"));
    assertTrue(reason(doc(GOOD_META.replace("title: 示例\n", ""), GOOD_BODY)).contains("'title'"));
    assertTrue(reason(doc(GOOD_META.replace("  - 问三\n", ""), GOOD_BODY)).contains("at least 3"));
    assertTrue(reason(doc(GOOD_META.replace("id: sample-doc", "id: Sample_Doc"), GOOD_BODY)).contains("a-z"));
    assertTrue(reason(doc(GOOD_META.replace("id: sample-doc", "id: other-doc"), GOOD_BODY)).contains("file name"));
    assertTrue(reason(doc(GOOD_META.replace("2021-07-15", "去年"), GOOD_BODY)).contains("'effective'"));
    assertTrue(reason(doc(GOOD_META.replace("《中华人民共和国行政处罚法》第三十三条", "行政处罚法"), GOOD_BODY))
        .contains("not a citation"));
    assertTrue(reason(doc(GOOD_META, "## 详细说明\n只有详细。\n")).contains("简要回答"));
  }
}
