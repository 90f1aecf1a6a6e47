package cn.legalkoi.knowledge;

import java.time.LocalDate;
import java.util.List;

/**
 * One file of one law.
 *
 * @param title the law's name as the file's first line gives it, e.g. 中华人民共和国行政处罚法
 * @param version the version date from a file name like {@code 行政处罚法(2021-01-22).md}; null when not given
 */
public record Statute(String title, LocalDate version, List<StatuteArticle> articles, String path) {
  public String shortTitle() {
    return ArticleKey.shortLawName(title);
  }
}
