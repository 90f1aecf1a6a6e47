package cn.legalkoi.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must not reach a log file whatever the calling code wrote: mainland mobile numbers keep their first
 * three and last four digits ({@code 13812345678} → {@code 138****5678}).
 */
public final class PersonalDataMask {
  /** Eleven digits starting 1[3-9], not part of a longer run of digits (an order number, a timestamp). */
  private static final Pattern MOBILE = Pattern.compile("(?<!\\d)(1[3-9]\\d)\\d{4}(\\d{4})(?!\\d)");

  private PersonalDataMask() {
  }

  public static String mask(String text) {
    if (text == null || text.length() < 11) {
      return text;
    }
    Matcher m = MOBILE.matcher(text);
    return m.find() ? m.replaceAll("$1****$2") : text;
  }
}
