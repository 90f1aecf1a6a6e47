package cn.legalkoi.tickets;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An owner's answer to the optional request for contact details: a mainland mobile or landline number, and the rest of
 * the message as the enterprise's name.
 */
record ContactDetails(String phone, String enterprise) {
  private static final Pattern PHONE = Pattern.compile("(?<!\\d)(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})(?!\\d)");
  private static final Pattern DECLINE = Pattern.compile("^\\s*(不留|不用|不需要|不方便|算了|不了|不想留)");
  private static final Pattern FILLER = Pattern.compile("(我的)?(手机号?|电话|联系方式|号码|企业名?称?|公司名称?)[是为：:]*");
  private static final int MAX_ENTERPRISE_CHARS = 60;

  static Optional<ContactDetails> read(String text) {
    Matcher m = PHONE.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    String rest = FILLER.matcher(text.substring(0, m.start()) + " " + text.substring(m.end())).replaceAll(" ")
        .replaceAll("[\\s,，;；。、]+", " ").strip();
    String enterprise = rest.isEmpty() ? null
        : rest.codePointCount(0, rest.length()) > MAX_ENTERPRISE_CHARS
            ? rest.substring(0, rest.offsetByCodePoints(0, MAX_ENTERPRISE_CHARS)) : rest;
    return Optional.of(new ContactDetails(m.group(1), enterprise));
  }

  static boolean declines(String text) {
    return DECLINE.matcher(text).find();
  }

  /** 138****5678: what logs and histories show of a phone number. */
  static String masked(String phone) {
    if (phone == null || phone.length() < 7) {
      return "****";
    }
    return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
  }
}
