package cn.legalkoi.proposals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.GuidanceParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A published proposal as a file: what the front matter carries, and how the file reaches the disk. */
class ProposalFileTest {
  @TempDir
  Path dir;

  static final Proposal PROPOSAL = new Proposal(7, 42, "zhang.san", "原标题", "原答复", Proposal.PROPOSED, null, null,
      1L, 0L);

  @Test
  @DisplayName("titles and questions that look like YAML or front-matter fences are written as plain text and read"
      + " back unchanged, with the provenance keys accepted by the loader")
  void roundTripsAwkwardText() throws Exception {
    String title = "是: 否 \"引号\" \\反斜杠 --- # 不是注释 {a: [b]}";
    PublishRequest request = PublishRequest.from(ProposalLoopTest.publication("awkward-text")
        .put("title", title)
        .put("questions", new JsonArray().add("---").add("- 列表？").add("'单引号' & *锚点"))
        .put("steps", null));
    String text = GuidanceFile.render(request, PROPOSAL, "admin", LocalDate.of(2026, 3, 1));
    GuidanceDocument doc = new GuidanceParser().parse(text, "awkward-text.md", "awkward-text");
    assertEquals(title, doc.title());
    assertEquals(List.of("---", "- 列表？", "'单引号' & *锚点"), doc.questions());
    assertEquals(LocalDate.of(2021, 1, 1), doc.effective());
    assertEquals(LocalDate.of(2026, 3, 1), doc.reviewed());
    assertEquals(GuidanceFile.DEFAULT_STEPS, doc.sections().get(GuidanceDocument.STEPS));
    assertEquals("- 《中华人民共和国民法典》第五百七十七条", doc.sections().get(GuidanceDocument.BASIS));
    assertTrue(text.contains("\nauthor: \"zhang.san\"\nticket: 42\nproposal: 7\npublishedBy: \"admin\"\n"), text);
  }

  @Test
  @DisplayName("the request is refused before any file exists when it lacks a basis or carries an unsafe id")
  void refusesAtTheEdge() {
    for (JsonObject body : List.of(
        ProposalLoopTest.publication("../escape"),
        ProposalLoopTest.publication("ok-id").put("basis", new JsonArray()),
        ProposalLoopTest.publication("ok-id").put("basis", new JsonArray().add("《民法典》第五百七十七条").add(3)),
        ProposalLoopTest.publication("ok-id").put("questions", "一个问题"),
        ProposalLoopTest.publication("ok-id").put("steps", "# 大标题"))) {
      ProposalRefused refused = assertThrows(ProposalRefused.class, () -> PublishRequest.from(body), body.encode());
      assertEquals(400, refused.status());
    }
  }

  @Test
  @DisplayName("the writer puts the file under guidance/proposals of the first knowledge directory as UTF-8, leaves"
      + " no temporary file and never replaces an existing one")
  void writesOnceAndWhole() throws Exception {
    GuidanceWriter writer = new GuidanceWriter(List.of(dir.resolve("kb1"), dir.resolve("kb2")));
    Files.createDirectories(dir.resolve("kb2/guidance/labor"));
    Files.writeString(dir.resolve("kb2/guidance/labor/taken.md"), "x", StandardCharsets.UTF_8);

    Path written = writer.write("new-doc", "---\ntitle: 中文\n---\n");
    assertEquals(dir.resolve("kb1/guidance/proposals/new-doc.md"), written);
    assertEquals("---\ntitle: 中文\n---\n", new String(Files.readAllBytes(written), StandardCharsets.UTF_8));
    assertThrows(FileAlreadyExistsException.class, () -> writer.write("new-doc", "replacement"));
    assertEquals("---\ntitle: 中文\n---\n", Files.readString(written, StandardCharsets.UTF_8));
    try (Stream<Path> files = Files.list(written.getParent())) {
      assertEquals(List.of(written), files.toList(), "no temporary file is left behind");
    }
    assertEquals(dir.resolve("kb2/guidance/labor/taken.md"), writer.existing("taken").orElseThrow());
    assertTrue(writer.existing("missing").isEmpty());
    assertThrows(IllegalArgumentException.class, () -> writer.target("../outside"));
    assertThrows(IllegalArgumentException.class, () -> writer.target("a/b"));
  }
}
