package cn.legalkoi.knowledge;

/**
 * Chinese article numerals as statutes write them: 十一, 一百零五, 一千二百六十, 两百.
 * Arabic digits are accepted too, since owners type "33条".
 */
public final class ChineseNumerals {
  private static final String DIGITS = "零一二三四五六七八九";

  private ChineseNumerals() {
  }

  /** Parses a numeral to its value, or returns -1 when the text is not a numeral. */
  public static int parse(String text) {
    if (text == null || text.isEmpty()) {
      return -1;
    }
    if (text.chars().allMatch(Character::isDigit)) {
      return text.length() > 6 ? -1 : Integer.parseInt(text);
    }
    int total = 0;
    int section = 0;
    int digit = -1;
    int lastUnit = Integer.MAX_VALUE;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int d = digitOf(c);
      if (d >= 0) {
        if (digit >= 0 && digit != 0 && d != 0) {
          return -1; // two digits without a unit between them, e.g. 一二
        }
        digit = d;
        continue;
      }
      int unit = unitOf(c);
      if (unit < 0) {
        return -1;
      }
      if (unit == 10000) {
        if (total > 0) {
          return -1;
        }
        section += Math.max(digit, 0);
        total += (section == 0 ? 1 : section) * 10000;
        section = 0;
        lastUnit = Integer.MAX_VALUE;
      } else {
        if (unit >= lastUnit) {
          return -1; // units must fall: 一百二十, never 十十 or 十百
        }
        lastUnit = unit;
        int multiplier = digit < 0 ? (unit == 10 ? 1 : -1) : digit;
        if (multiplier <= 0) {
          return -1;
        }
        section += multiplier * unit;
      }
      digit = -1;
    }
    if (digit > 0) {
      section += digit;
    }
    int value = total + section;
    return value > 0 ? value : -1;
  }

  /** Writes a positive number the way statutes do: 33 → 三十三, 105 → 一百零五, 10 → 十. */
  public static String format(int value) {
    if (value <= 0 || value >= 100000) {
      throw new IllegalArgumentException("article number out of range: " + value);
    }
    int[] units = {10000, 1000, 100, 10, 1};
    String[] unitNames = {"万", "千", "百", "十", ""};
    StringBuilder out = new StringBuilder();
    boolean pendingZero = false;
    for (int i = 0; i < units.length; i++) {
      int d = (value / units[i]) % 10;
      if (d == 0) {
        pendingZero = out.length() > 0;
        continue;
      }
      if (pendingZero) {
        out.append('零');
        pendingZero = false;
      }
      boolean leadingTen = units[i] == 10 && d == 1 && out.length() == 0;
      if (!leadingTen) {
        out.append(DIGITS.charAt(d));
      }
      out.append(unitNames[i]);
    }
    return out.toString();
  }

  private static int digitOf(char c) {
    if (c == '〇') {
      return 0;
    }
    if (c == '两') {
      return 2;
    }
    return DIGITS.indexOf(c);
  }

  private static int unitOf(char c) {
    switch (c) {
      case '十':
        return 10;
      case '百':
        return 100;
      case '千':
        return 1000;
      case '万':
        return 10000;
      default:
        return -1;
    }
  }
}
