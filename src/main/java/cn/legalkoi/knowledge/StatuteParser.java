package cn.legalkoi.knowledge;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits the text of a law into articles. Real official texts carry metadata lines and HTML comments
 * before the first article, headings that are not chapters ({@code ## 总则}), odd spaces and zero-width
 * characters; all of them are tolerated.
 */
public final class StatuteParser {
  private static final String NUMERAL = "[零〇一二两三四五六七八九十百千万]+";
  private static final Pattern ARTICLE = Pattern.compile(
      "^\\s*第(" + NUMERAL + ")条(?:之(" + NUMERAL + "))?(?: +(.*))?$");
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s*(.*?)\\s*#*\\s*$");
  private static final Pattern PLAIN_HEADING = Pattern.compile(
      "^\\s*第" + NUMERAL + "(编|分编|章|节)(?: +.*)?$");
  private static final Pattern VERSION = Pattern.compile("[(（](\\d{4}-\\d{2}-\\d{2})[)）]\\s*$");
  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

  /** Thrown for a file with no law in it; the message is the reason shown to admins. */
  public static final class InvalidStatuteException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidStatuteException(String message) {
      super(message);
    }
  }

  public Statute parse(String text, String path, String fileName) throws InvalidStatuteException {
    String content = COMMENT.matcher(TextNormalizer.normalize(text).replace("\r\n", "\n").replace('\r', '\n'))
        .replaceAll("");
    List<String> lines = content.lines().toList();
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    if (first == lines.size()) {
      throw new InvalidStatuteException("empty file");
    }
    Matcher titleLine = HEADING.matcher(lines.get(first));
    if (!titleLine.matches() || titleLine.group(1).length() != 1 || titleLine.group(2).isBlank()) {
      throw new InvalidStatuteException("the first line must be the law's name as '# 法规名称'");
    }
    String title = titleLine.group(2).strip();

    List<StatuteArticle> articles = new ArrayList<>();
    List<Heading> headings = new ArrayList<>();
    ArticleDraft current = null;
    for (int i = first + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        current = finish(current, articles);
        int level = heading.group(1).length();
        headings.removeIf(h -> h.level >= level);
        if (!heading.group(2).isBlank()) {
          headings.add(new Heading(level, heading.group(2)));
        }
        continue;
      }
      Matcher plainHeading = PLAIN_HEADING.matcher(line);
      if (plainHeading.matches()) {
        current = finish(current, articles);
        int level = 10 + List.of("编", "分编", "章", "节").indexOf(plainHeading.group(1));
        headings.removeIf(h -> h.level >= level);
        headings.add(new Heading(level, line.strip().replaceAll(" +", " ")));
        continue;
      }
      Matcher article = ARTICLE.matcher(line);
      if (article.matches() && (current == null || follows(current.key, article))) {
        current = finish(current, articles);
        current = new ArticleDraft(
            new ArticleKey(ArticleKey.shortLawName(title), ChineseNumerals.parse(article.group(1)),
                article.group(2) == null ? 0 : ChineseNumerals.parse(article.group(2))),
            headings.stream().map(h -> h.text).toList());
        if (article.group(3) != null) {
          current.append(article.group(3));
        }
      } else if (current != null && !line.isBlank()) {
        current.append(line);
      }
    }
    finish(current, articles);
    if (articles.isEmpty()) {
      throw new InvalidStatuteException("no articles found (an article is a paragraph starting '第X条 ')");
    }
    return new Statute(title, versionOf(fileName), List.copyOf(articles), path);
  }

  /** A line that starts 第X条 begins a new article only if it numbers after the current one. */
  private static boolean follows(ArticleKey previous, Matcher article) {
    int number = ChineseNumerals.parse(article.group(1));
    int suffix = article.group(2) == null ? 0 : ChineseNumerals.parse(article.group(2));
    return number > previous.number() || (number == previous.number() && suffix > previous.suffix());
  }

  static LocalDate versionOf(String fileName) {
    String base = fileName.endsWith(".md") ? fileName.substring(0, fileName.length() - 3) : fileName;
    Matcher m = VERSION.matcher(base);
    if (!m.find()) {
      return null;
    }
    try {
      return LocalDate.parse(m.group(1));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static ArticleDraft finish(ArticleDraft draft, List<StatuteArticle> into) {
    if (draft != null && draft.key.number() > 0 && draft.key.suffix() >= 0) {
      into.add(new StatuteArticle(draft.key, draft.headings, draft.text.toString().strip()));
    }
    return null;
  }

  private record Heading(int level, String text) {
  }

  private static final class ArticleDraft {
    final ArticleKey key;
    final List<String> headings;
    final StringBuilder text = new StringBuilder();

    ArticleDraft(ArticleKey key, List<String> headings) {
      this.key = key;
      this.headings = headings;
    }

    void append(String line) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(line.strip());
    }
  }
}
