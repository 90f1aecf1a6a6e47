package cn.legalkoi.knowledge;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one article of one law, the way search result ids do: {@code 行政处罚法#33}, {@code 刑法#120-1}.
 * The law is named without a leading 中华人民共和国.
 */
public record ArticleKey(String law, int number, int suffix) {
  private static final Pattern CITATION = Pattern.compile(
      "《([^》]+)》\\s*第([零〇一二两三四五六七八九十百千万0-9]+)条(?:之([一二三四五六七八九十]+))?");

  public static String shortLawName(String title) {
    String t = title.strip();
    return t.startsWith("中华人民共和国") && t.length() > 7 ? t.substring(7) : t;
  }

  public String docId() {
    return law + "#" + number + (suffix > 0 ? "-" + suffix : "");
  }

  public String articleLabel() {
    return "第" + ChineseNumerals.format(number) + "条" + (suffix > 0 ? "之" + ChineseNumerals.format(suffix) : "");
  }

  /** Parses the first citation in text such as {@code 《中华人民共和国行政处罚法》第三十三条第二款}. */
  public static Optional<ArticleKey> fromCitation(String citation) {
    Matcher m = CITATION.matcher(TextNormalizer.normalize(citation));
    if (!m.find()) {
      return Optional.empty();
    }
    int number = ChineseNumerals.parse(m.group(2));
    int suffix = m.group(3) == null ? 0 : ChineseNumerals.parse(m.group(3));
    if (number <= 0 || suffix < 0) {
      return Optional.empty();
    }
    return Optional.of(new ArticleKey(shortLawName(m.group(1)), number, suffix));
  }

  @Override
  public String toString() {
    return docId();
  }
}
