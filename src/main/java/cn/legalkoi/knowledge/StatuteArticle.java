package cn.legalkoi.knowledge;

import java.util.List;

/**
 * One article of a law: the searchable passage cited as 《法规名称》第X条.
 *
 * @param headings the path of 编/分编/章/节 headings above the article, outermost first
 * @param text the article's paragraphs (款 and 项) without the leading 第X条
 */
public record StatuteArticle(ArticleKey key, List<String> headings, String text) {
  public String citation(String lawTitle) {
    return "《" + lawTitle + "》" + key.articleLabel();
  }
}
