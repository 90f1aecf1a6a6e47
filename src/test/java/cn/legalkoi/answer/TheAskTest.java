package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TheAskTest {
  @Test
  @DisplayName("a short message is its own ask, however it is punctuated")
  void shortMessageIsItsOwnAsk() {
    assertEquals("第一次违规能不能不罚款", TheAsk.of("  第一次违规能不能不罚款 "));
    assertEquals("员工不签合同，我要赔钱吗？", TheAsk.of("员工不签合同，我要赔钱吗？"));
  }

  @Test
  @DisplayName("after a story, the ask is the last clause that asks something, not the story")
  void storyThenQuestion() {
    assertEquals("第一次被查到这种能不能不罚款",
        TheAsk.of("我们是一家做火锅的小店，去年开的，员工有十几个人，上个月市场监管来检查说后厨有问题，第一次被查到这种能不能不罚款"));
  }

  @Test
  @DisplayName("a short ask is widened with the clauses before it until it says enough to stand alone")
  void shortAskWidened() {
    assertEquals("店里请了三个人，一直没签合同，要赔吗",
        TheAsk.of("我在城东开了一家小超市开了好几年了，店里请了三个人，一直没签合同，要赔吗"));
  }

  @Test
  @DisplayName("thanks after the question are not the ask, and a question mark stays on the clause it ends")
  void trailingThanksSkipped() {
    assertEquals("门口贴了全市第一的海报，这样算不算违法？",
        TheAsk.of("我开了个奶茶店生意还行，门口贴了全市第一的海报，这样算不算违法？谢谢你们了啊"));
  }

  @Test
  @DisplayName("a long message with no question in it: the ask is its last clauses, enough to stand alone")
  void noQuestionLastClauses() {
    assertEquals("老板让我来问一下，麻烦帮忙看看",
        TheAsk.of("我们厂上个月被罚了五万块，决定书已经收到了，老板让我来问一下，麻烦帮忙看看"));
  }
}
