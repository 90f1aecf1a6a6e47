package cn.legalkoi.logging;

import java.util.regex.Pattern;

/**
 * Masks what identifies an owner, wherever text leaves for other eyes (log files, the admins' view of unmet
 * questions): mainland mobile numbers keep their first three and last four digits ({@code 13812345678} →
 * {@code 138****5678}, also written {@code +86 138-1234-5678}), resident ID numbers (18 digits, the last may be X,
 * or the old 15) their first three and last four or three. A longer run of digits (an order number, a timestamp)
 * is left alone: it is not one of these.
 */
public final class PersonalDataMask {
  private static final Pattern ID_CARD_18 = Pattern.compile("(?<![0-9A-Za-z])(\\d{3})\\d{11}(\\d{3}[0-9Xx])(?![0-9A-Za-z])");
  private static final Pattern ID_CARD_15 = Pattern.compile("(?<![0-9A-Za-z])(\\d{3})\\d{9}(\\d{3})(?![0-9A-Za-z])");
  private static final Pattern MOBILE = Pattern.compile(
      "(?<![0-9])(?:(?:\\+|00)?86[- ]?)?(1[3-9]\\d)[- ]?\\d{4}[- ]?(\\d{4})(?![0-9])");

  private PersonalDataMask() {
  }

  public static String mask(String text) {
    if (text == null || text.length() < 11) {
      return text;
    }
    String masked = ID_CARD_18.matcher(text).replaceAll("$1***********$2");
    masked = ID_CARD_15.matcher(masked).replaceAll("$1*********$2");
    return MOBILE.matcher(masked).replaceAll("$1****$2");
  }
}
