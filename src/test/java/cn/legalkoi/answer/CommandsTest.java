package cn.legalkoi.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandsTest {
  @ParameterizedTest(name = "{0} → {1} {2}")
  @CsvSource({
      "人工, PERSON, 0",
      "转人工！, PERSON, 0",
      " 人工客服 , PERSON, 0",
      "客服！！, PERSON, 0",
      "帮助, HELP, 0",
      "不满意, UNSATISFIED, 0",
      "非常满意。, SATISFIED, 0",
      "2, NUMBER, 2",
      "２, NUMBER, 2",
      "第三个, NUMBER, 3"})
  @DisplayName("a whole message that is one of the bot's commands is read as that command")
  void readsCommands(String message, Commands.Command command, int number) {
    Commands.Read read = Commands.read(message).orElseThrow();
    assertEquals(command, read.command());
    assertEquals(number, read.number());
  }

  @ParameterizedTest
  @ValueSource(strings = {"人工智能会取代律师吗", "我对处罚结果不满意，能复议吗", "客服电话是多少", "12", "0", "帮助企业纾困的政策有哪些"})
  @DisplayName("a message that merely contains a command word is left to the intent model")
  void leavesSentencesAlone(String message) {
    assertTrue(Commands.read(message).isEmpty(), message);
  }
}
