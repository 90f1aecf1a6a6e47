package cn.legalkoi.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part of a message that asks something. Owners often tell their situation first (who, how much, when) and
 * ask last; read whole, a long story with a plain question in it looks like a case for a person. The ask is the
 * last clause that carries a question (a question mark, a sentence-final particle, or an interrogative word),
 * widened with the clauses before it until it says enough to stand alone. A short message is its own ask.
 */
final class TheAsk {
  /** Shorter messages are read whole. */
  static final int SHORT = 20;
  /** The ask is widened with the clauses before it until it has this many characters. */
  private static final int ENOUGH = 10;
  private static final Pattern CLAUSE_END = Pattern.compile("[。！？!?；;，,、…~～\\s]+");
  private static final Pattern QUESTION = Pattern.compile(
      "[？?]|[吗么嘛呢不没]$|怎么|咋|如何|能不能|能否|可不可以|可以不|要不要|需不需要|用不用|是不是|会不会|算不算|有没有"
          + "|行不行|对不对|多少|多久|多长|几[个年天月次]|哪|什么|啥|为什么|为啥|还是");

  private TheAsk() {
  }

  static String of(String text) {
    String message = text.strip();
    if (message.codePointCount(0, message.length()) <= SHORT) {
      return message;
    }
    List<String> clauses = clauses(message);
    if (clauses.size() < 2) {
      return message;
    }
    int last = clauses.size() - 1;
    for (int i = clauses.size() - 1; i >= 0; i--) {
      if (QUESTION.matcher(clauses.get(i)).find()) {
        last = i;
        break;
      }
    }
    int first = last;
    int length = clauses.get(last).codePointCount(0, clauses.get(last).length());
    while (first > 0 && length < ENOUGH) {
      first--;
      length += clauses.get(first).codePointCount(0, clauses.get(first).length());
    }
    return String.join("，", clauses.subList(first, last + 1));
  }

  /** The clauses of a message with the question marks kept on the clause they end. */
  private static List<String> clauses(String message) {
    List<String> out = new ArrayList<>();
    var m = CLAUSE_END.matcher(message);
    int start = 0;
    while (m.find()) {
      String mark = m.group().contains("？") || m.group().contains("?") ? "？" : "";
      add(out, message.substring(start, m.start()) + mark);
      start = m.end();
    }
    add(out, message.substring(start));
    return out;
  }

  private static void add(List<String> out, String clause) {
    if (!clause.isBlank()) {
      out.add(clause.strip());
    }
  }
}
