package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.knowledge.GuidanceDocument;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplyComposerTest {
  private final ReplyComposer composer = new ReplyComposer("https://koi.example.test/");

  private static GuidanceDocument doc(String shortAnswer, List<String> basis) {
    return new GuidanceDocument("sample", "示例标题", "测试", List.of("一", "二", "三"), basis, LocalDate.of(2021, 1, 1),
        LocalDate.of(2026, 11, 27), Map.of(GuidanceDocument.SHORT_ANSWER, shortAnswer), "", "p.md");
  }

  @Test
  @DisplayName("citations name each law once, without 中华人民共和国, keeping the order of the basis")
  void compactCitations() {
    assertEquals("《劳动合同法》第十条、第八十二条；《劳动合同法实施条例》第五条",
        ReplyComposer.compactCitations(List.of("《中华人民共和国劳动合同法》第十条", "《中华人民共和国劳动合同法》第八十二条",
            "《中华人民共和国劳动合同法实施条例》第五条")));
    assertEquals("《优化营商环境条例》第五十四条", ReplyComposer.compactCitations(List.of("《优化营商环境条例》第五十四条")));
  }

  @Test
  @DisplayName("an answer carries the short answer, basis, link, disclaimer and the way to an adviser")
  void answerParts() {
    String text = composer.answer(doc("短答。", List.of("《中华人民共和国行政处罚法》第三十三条")), false);
    assertTrue(text.startsWith("【示例标题】\n短答。"));
    assertTrue(text.contains("法律依据：《行政处罚法》第三十三条"));
    assertTrue(text.contains("https://koi.example.test/guidance/sample"));
    assertTrue(text.contains(ReplyComposer.DISCLAIMER));
    assertTrue(text.contains("人工"));
  }

  @Test
  @DisplayName("an overlong short answer is cut at a sentence end so the reply fits one WeCom message")
  void fitsOneMessage() {
    String longAnswer = "这是一句很长的测试句子，用来撑满消息。".repeat(200);
    String text = composer.answer(doc(longAnswer, List.of("《中华人民共和国行政处罚法》第三十三条")), true);
    assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= ReplyComposer.MAX_BYTES);
    assertTrue(text.contains("。……"), "cut after a full sentence");
    assertTrue(text.contains("https://koi.example.test/guidance/sample"), "the link survives the cut");
  }
}
