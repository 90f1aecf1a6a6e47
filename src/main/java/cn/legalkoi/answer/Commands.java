package cn.legalkoi.answer;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversation's own commands, which the bot's replies teach owners to type: a whole message that is
 * "人工" (or "客服"), "帮助", "满意"/"不满意", or a number answering the bot's last numbered prompt. Anything longer is read by
 * the intent model.
 */
public final class Commands {
  /** What a command asks for. */
  public enum Command { PERSON, HELP, SATISFIED, UNSATISFIED, NUMBER }

  /** @param number the number typed, for {@link Command#NUMBER}; 0 otherwise */
  public record Read(Command command, int number) {
  }

  private static final Pattern PUNCTUATION = Pattern.compile("[\\s\\p{P}~～]+");
  private static final Pattern PERSON = Pattern.compile("(转|找|要)?((人工|真人)(客服|服务|顾问)?|客服)");
  private static final Pattern HELP = Pattern.compile("帮助|help|菜单|使用说明");
  private static final Pattern SATISFIED = Pattern.compile("(很|非常)?满意");
  private static final Pattern UNSATISFIED = Pattern.compile("(很|非常)?不满意");
  private static final Pattern NUMBER = Pattern.compile("([1-9])|第?([一二三四五])(个|条)?");
  private static final String CHINESE_DIGITS = "一二三四五";

  private Commands() {
  }

  public static Optional<Read> read(String message) {
    String text = PUNCTUATION.matcher(IntentModel.prepare(message).toLowerCase(Locale.ROOT)).replaceAll("");
    if (PERSON.matcher(text).matches()) {
      return Optional.of(new Read(Command.PERSON, 0));
    }
    if (HELP.matcher(text).matches()) {
      return Optional.of(new Read(Command.HELP, 0));
    }
    if (UNSATISFIED.matcher(text).matches()) {
      return Optional.of(new Read(Command.UNSATISFIED, 0));
    }
    if (SATISFIED.matcher(text).matches()) {
      return Optional.of(new Read(Command.SATISFIED, 0));
    }
    Matcher number = NUMBER.matcher(text);
    if (number.matches()) {
      int n = number.group(1) != null ? Integer.parseInt(number.group(1))
          : CHINESE_DIGITS.indexOf(number.group(2)) + 1;
      return Optional.of(new Read(Command.NUMBER, n));
    }
    return Optional.empty();
  }
}
