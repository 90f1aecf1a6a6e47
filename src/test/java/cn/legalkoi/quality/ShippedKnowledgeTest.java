package cn.legalkoi.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.answer.ReplyComposer;
import cn.legalkoi.chat.Channel;
import cn.legalkoi.config.ServicePromise;
import cn.legalkoi.knowledge.ArticleKey;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the shipped guidance promises owners: complete, dated, cited, and short enough for a chat reply. */
class ShippedKnowledgeTest {
  /**
   * The topic list the team maintains in the shared folder beside the repository ({@code ../shared/kb-topics.tsv}),
   * copied here so the build checks it everywhere; copy it again when the team changes the list.
   */
  static final Path TOPICS = Path.of("src/test/resources/quality/kb-topics.tsv");
  static KnowledgeSnapshot snapshot;

  @BeforeAll
  static void load() throws Exception {
    snapshot = new KnowledgeLoader(List.of(Fixtures.SHIPPED_KB)).load();
  }

  @Test
  @DisplayName("every shipped guidance file loads without a problem or a warning")
  void loadsCleanly() {
    assertEquals(List.of(), snapshot.problems());
    assertTrue(snapshot.guidance().size() >= 53, "documents: " + snapshot.guidance().size());
  }

  @Test
  @DisplayName("every topic of the team's list has its document under exactly that id")
  void coversEveryTopic() throws Exception {
    assertTrue(Files.isRegularFile(TOPICS), "the topic list is missing: " + TOPICS.toAbsolutePath());
    List<String> topics = Utf8Files.read(TOPICS).lines().map(line -> line.split("\t")[0].strip())
        .filter(id -> !id.isEmpty() && !id.equals("id")).toList();
    assertFalse(topics.isEmpty(), "the topic list names no topic");
    Set<String> ids = snapshot.guidance().stream().map(GuidanceDocument::id).collect(Collectors.toSet());
    for (String id : topics) {
      assertTrue(ids.contains(id), "no guidance for topic " + id);
    }
  }

  @Test
  @DisplayName("each document has 5+ owner questions, parseable citations, dates, and a short answer fit for a phone")
  void eachDocumentIsComplete() {
    assertFalse(snapshot.guidance().isEmpty(), "no shipped guidance loaded");
    for (GuidanceDocument doc : snapshot.guidance()) {
      String where = doc.id() + ": ";
      assertTrue(doc.questions().size() >= 5, where + "questions");
      assertTrue(doc.shortAnswer().codePointCount(0, doc.shortAnswer().length()) <= 200, where + "short answer length");
      assertTrue(doc.reviewed().isAfter(LocalDate.of(2026, 1, 1)), where + "reviewed");
      assertTrue(!doc.effective().isAfter(doc.reviewed()), where + "effective after reviewed");
      assertFalse(doc.basis().isEmpty(), where + "cites no article");
      for (String citation : doc.basis()) {
        assertTrue(ArticleKey.fromCitation(citation).isPresent(), where + "citation " + citation);
      }
      String reply = new ReplyComposer("https://koi.example.test", ServicePromise.defaults()).answer(doc, true)
          .within(Channel.WECOM.maxReplyBytes());
      assertTrue(reply.getBytes(StandardCharsets.UTF_8).length <= Channel.WECOM.maxReplyBytes(), where + "reply bytes");
      assertTrue(reply.contains(doc.shortAnswer()), where + "the whole short answer fits in one message");
    }
  }
}
