package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentRulesTest {
  @ParameterizedTest(name = "{1}: {0}")
  @CsvSource({
      "转人工, ESCALATE",
      "能不能找个律师跟我聊聊, ESCALATE",
      "我们公司账户被冻结了，下周开庭, ESCALATE",
      "被供应商起诉了，下周就开庭, ESCALATE",
      "市场监管局罚了我们50万，我不服, ESCALATE",
      "行政诉讼的起诉期限是多久, QUESTION",
      "被罚了不服能去法院告吗, QUESTION",
      "员工没签合同要赔钱吗, QUESTION",
      "帮我写首诗, SMALLTALK",
      "你好, SMALLTALK",
      "谢谢啊, SMALLTALK",
      "今天天气怎么样, SMALLTALK"})
  void classifies(String message, Intent expected) {
    assertEquals(expected, IntentRules.classify(message));
  }
}
