package cn.legalkoi.answer;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A few surface facts that tell an owner's own live case from a general question, whatever its wording: money
 * at stake, a date close to now, several parties, and length (owners describing a case write more). The intent
 * model learns how much each counts; none decides anything alone.
 */
final class CaseSignals {
  static final int COUNT = 4;
  private static final Pattern AMOUNT = Pattern.compile(
      "\\d+(\\.\\d+)?\\s*(w|万|千|百万|亿|元|块)|[一二两三四五六七八九十几百千]+多?(万|亿)|上(百|千)万");
  private static final Pattern NEAR_NOW = Pattern.compile(
      "昨天|昨晚|今天|今早|今晚|明天|后天|前天|上周|下周|这周|本周|上个月|下个月|刚才|刚刚|已经|马上|月底|\\d+号"
          + "|星期[一二三四五六日天]|周[一二三四五六日]");
  private static final Pattern PARTY = Pattern.compile(
      "供应商|供货商|客户|员工|工人|银行|经销商|代理商|合伙人|股东|对方|家属|房东|债主|担保人|总包|分包|甲方|乙方|物业"
          + "|平台|同行|法院|公安|派出所|律师");
  private static final double LONG_MESSAGE = 60;

  private CaseSignals() {
  }

  /** {amount named, date near now, two or more parties, length as a share of a long message}, each in [0, 1]. */
  static double[] of(String text) {
    Set<String> parties = new HashSet<>();
    Matcher party = PARTY.matcher(text);
    while (party.find()) {
      parties.add(party.group());
    }
    return new double[] {
        AMOUNT.matcher(text).find() ? 1 : 0,
        NEAR_NOW.matcher(text).find() ? 1 : 0,
        parties.size() >= 2 ? 1 : 0,
        Math.min(1, text.codePointCount(0, text.length()) / LONG_MESSAGE)};
  }
}
