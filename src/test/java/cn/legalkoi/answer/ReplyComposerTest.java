package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.config.ServicePromise;
import cn.legalkoi.knowledge.GuidanceDocument;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplyComposerTest {
  private final ReplyComposer composer = new ReplyComposer("https://koi.example.test/", ServicePromise.defaults());

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
    String text = composer.answer(doc("短答。", List.of("《中华人民共和国行政处罚法》第三十三条")), false).text();
    assertTrue(text.startsWith("【示例标题】\n短答。"));
    assertTrue(text.contains("法律依据：《行政处罚法》第三十三条"));
    assertTrue(text.contains("https://koi.example.test/guidance/sample"));
    assertTrue(text.contains(ReplyComposer.DISCLAIMER));
    assertTrue(text.contains("人工"));
  }

  @Test
  @DisplayName("an overlong short answer is cut at a sentence end to each channel's limit, keeping basis and link")
  void fitsEachChannel() {
    String longAnswer = "这是一句很长的测试句子，用来撑满消息。".repeat(300);
    ReplyText reply = composer.answer(doc(longAnswer, List.of("《中华人民共和国行政处罚法》第三十三条")), true);
    for (Channel channel : Channel.values()) {
      String text = reply.within(channel.maxReplyBytes());
      assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= channel.maxReplyBytes(), channel + " too long");
      assertTrue(text.contains("。……"), channel + ": cut after a full sentence");
      assertTrue(text.contains("法律依据：《行政处罚法》第三十三条"), channel + ": the basis survives the cut");
      assertTrue(text.contains("https://koi.example.test/guidance/sample"), channel + ": the link survives the cut");
    }
    assertTrue(reply.within(Channel.WECOM.maxReplyBytes()).length() < reply.within(Channel.FEISHU.maxReplyBytes())
        .length(), "a roomier channel shows more of the answer");
  }

  @Test
  @DisplayName("a handover promises no times before a ticket exists; the offer of an adviser names the promised response")
  void promiseWording() {
    assertFalse(composer.escalate(true).contains("分钟"), composer.escalate(true));
    assertTrue(composer.noAnswer().contains("30分钟内响应"), composer.noAnswer());
    assertTrue(new ReplyComposer("https://x", new ServicePromise(20, 1, 5)).noAnswer().contains("20分钟内响应"));
  }
}
