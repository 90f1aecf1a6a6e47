package cn.legalkoi.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeLoaderTest {

  @Test
  @DisplayName("bad files are skipped and reported by path and reason; good files still load")
  void reportsEveryProblem(@TempDir Path dir) throws Exception {
    Path kb = Fixtures.copyKnowledgeBase(dir);
    Path guidance = kb.resolve("guidance");
    Files.writeString(guidance.resolve("empty.md"), "", StandardCharsets.UTF_8);
    Files.writeString(guidance.resolve("broken-yaml.md"), "---\nid: [oops\n---\n## 简要回答\n答。\n", StandardCharsets.UTF_8);
    Files.write(guidance.resolve("gbk.md"), GuidanceParserTest.doc(GuidanceParserTest.GOOD_META.replace("sample-doc", "gbk"),
        GuidanceParserTest.GOOD_BODY).getBytes(Charset.forName("GBK")));
    Files.createDirectories(guidance.resolve("copy"));
    Files.copy(guidance.resolve("penalty/first-offence.md"), guidance.resolve("copy/first-offence.md"));
    Files.writeString(kb.resolve("statutes/empty-law.md"), "# 空的法\n\n没有条文。\n", StandardCharsets.UTF_8);

    KnowledgeSnapshot snapshot = new KnowledgeLoader(List.of(kb)).load();

    assertEquals(3, snapshot.guidance().size());
    Map<String, String> skipped = snapshot.problems().stream().filter(LoadProblem::skipped)
        .collect(Collectors.toMap(p -> Path.of(p.path()).getFileName().toString(), LoadProblem::reason, (a, b) -> a + b));
    assertEquals("empty file", skipped.get("empty.md"));
    assertTrue(skipped.get("broken-yaml.md").contains("YAML"), skipped.toString());
    assertTrue(skipped.get("gbk.md").contains("UTF-8"), skipped.toString());
    assertTrue(skipped.get("first-offence.md").contains("duplicate id"), skipped.toString());
    assertTrue(skipped.get("empty-law.md").contains("no articles"), skipped.toString());
    assertEquals(5, skipped.size());
  }

  @Test
  @DisplayName("of two versions of one law only the newest is current; both are counted")
  void newestVersionIsCurrent(@TempDir Path dir) throws Exception {
    KnowledgeSnapshot snapshot = new KnowledgeLoader(List.of(Fixtures.copyKnowledgeBase(dir))).load();
    assertEquals(3, snapshot.statutes().size());
    List<String> current = snapshot.statutes().stream().filter(snapshot::isCurrent)
        .map(s -> s.shortTitle() + "@" + s.version()).sorted().toList();
    assertEquals(List.of("劳动合同法@null", "行政处罚法@2021-01-22"), current);
    assertEquals(3 + 3, snapshot.documentCount());
    assertEquals(3 + 7 + 2 + 2, snapshot.passageCount());
  }

  @Test
  @DisplayName("basis citations the loaded statutes cannot confirm are reported, each with its reason")
  void reportsUnresolvedCitations(@TempDir Path dir) throws Exception {
    Path kb = Fixtures.copyKnowledgeBase(dir);
    Path doc = kb.resolve("guidance/labor/double-wages.md");
    Files.writeString(doc, Files.readString(doc, StandardCharsets.UTF_8)
        .replace("  - 《中华人民共和国劳动合同法》第十条", "  - 《中华人民共和国劳动合同法》第九十九条\n  - 《中华人民共和国民法典》第一百八十八条"),
        StandardCharsets.UTF_8);
    KnowledgeSnapshot snapshot = new KnowledgeLoader(List.of(kb)).load();
    assertEquals(2, snapshot.unresolvedCitations().size(), snapshot.unresolvedCitations().toString());
    assertTrue(snapshot.unresolvedCitations().get(0).contains("第九十九条"));
    assertTrue(snapshot.unresolvedCitations().get(0).contains("no such article"));
    assertTrue(snapshot.unresolvedCitations().get(1).contains("民法典"));
    assertTrue(snapshot.unresolvedCitations().get(1).contains("not among the loaded statutes"));
  }

  private static Path labourLaw(Path kb) throws java.io.IOException {
    try (java.util.stream.Stream<Path> list = Files.list(kb.resolve("statutes"))) {
      return list.filter(p -> !p.getFileName().toString().contains("(")).findFirst().orElseThrow();
    }
  }

  @Test
  @DisplayName("the fingerprint changes when any file changes and only then")
  void fingerprint(@TempDir Path dir) throws Exception {
    Path kb = Fixtures.copyKnowledgeBase(dir);
    KnowledgeLoader loader = new KnowledgeLoader(List.of(kb));
    String before = loader.fingerprint();
    assertEquals(before, loader.fingerprint());
    assertEquals(before, loader.load().fingerprint());
    Files.writeString(labourLaw(kb), "\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    assertNotEquals(before, loader.fingerprint());
  }
}
