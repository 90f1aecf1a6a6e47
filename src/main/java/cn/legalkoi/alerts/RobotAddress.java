package cn.legalkoi.alerts;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides what opens a group robot to anyone: the access_token or key in its address, the 加签 secret and a request's
 * sign. Everything about a robot that reaches a log or an exception message passes through here first.
 */
final class RobotAddress {
  static final String HIDDEN = "***";
  private static final Pattern QUERY_VALUE = Pattern.compile("([?&][^=&#\\s]+=)[^&#\\s]*");
  private static final Pattern SIGN = Pattern.compile("((?:^|[?&\\s])sign=)[^&#\\s]*");

  private final List<String> secrets;

  /** For the robot at {@code url} signed with {@code secret} (empty when not signed). */
  RobotAddress(String url, String secret) {
    List<String> found = new ArrayList<>();
    Matcher values = QUERY_VALUE.matcher(url);
    while (values.find()) {
      String raw = values.group().substring(values.group(1).length());
      found.add(raw);
      found.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
    }
    found.add(secret);
    // longest first, so that a secret containing another is hidden whole
    this.secrets = found.stream().filter(s -> s.length() >= 4).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /** {@code url} with every query value replaced: {@code …/robot/send?access_token=***}. */
  static String masked(String url) {
    return QUERY_VALUE.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
  }

  /** {@code text} (an error message, say) with this robot's token or key, its secret and any sign hidden. */
  String scrub(String text) {
    String clean = text == null ? "" : text;
    for (String secret : secrets) {
      clean = clean.replace(secret, HIDDEN);
    }
    return SIGN.matcher(clean).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
  }
}
