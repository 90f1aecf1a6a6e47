package cn.legalkoi.search;

import cn.legalkoi.knowledge.ArticleKey;
import cn.legalkoi.knowledge.ChineseNumerals;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The laws an index knows, for reading law names and article references in a question:
 * "行政处罚法第三十三条", "处罚法33条", "劳动合同法第八十二条规定了什么".
 */
public final class LawCatalog {
  private static final Pattern ARTICLE_REF = Pattern.compile(
      "第?\\s*([0-9]{1,4}|[零〇一二两三四五六七八九十百千]{1,8})\\s*条(?:\\s*之\\s*([一二三四五六七八九十]{1,3}))?");
  private static final Pattern LAW_NAME_END = Pattern.compile(".*(法|条例|规定|办法|细则|决定|规则|通则|法典)$");
  private static final int MIN_ALIAS_LENGTH = 3;

  private final Set<String> laws;
  private final Set<String> articles;
  private final Map<String, List<String>> aliases;

  /**
   * @param laws short names of the laws (without 中华人民共和国)
   * @param articles article ids known to exist (行政处罚法#33), used to settle an ambiguous short name
   */
  public LawCatalog(Collection<String> laws, Collection<String> articles) {
    this.laws = Set.copyOf(laws);
    this.articles = Set.copyOf(articles);
    Map<String, List<String>> byAlias = new HashMap<>();
    for (String law : this.laws) {
      if (!LAW_NAME_END.matcher(law).matches()) {
        continue;
      }
      for (int start = 1; law.length() - start >= MIN_ALIAS_LENGTH; start++) {
        byAlias.computeIfAbsent(law.substring(start), k -> new ArrayList<>()).add(law);
      }
    }
    this.aliases = byAlias;
  }

  public static LawCatalog empty() {
    return new LawCatalog(List.of(), List.of());
  }

  public int size() {
    return laws.size();
  }

  /** Laws named in full (short or official name) in the text; a name inside a longer named one is dropped. */
  public Set<String> lawsNamedIn(String text) {
    List<String> found = new ArrayList<>();
    for (String law : laws) {
      if (law.length() >= 2 && text.contains(law)) {
        found.add(law);
      }
    }
    Set<String> named = new LinkedHashSet<>();
    for (String law : found) {
      boolean inLonger = found.stream().anyMatch(other -> other.length() > law.length() && other.contains(law));
      if (!inLonger) {
        named.add(law);
      }
    }
    return named;
  }

  /** The text without law names and article numbers: what is left says what the owner wants to know. */
  public String withoutReferences(String text) {
    String rest = ARTICLE_REF.matcher(text).replaceAll(" ");
    for (String law : lawsNamedIn(text)) {
      rest = rest.replace(law, " ");
    }
    return rest;
  }

  /** Article references in the text whose law can be identified, in the order written. */
  public List<ArticleKey> articlesNamedIn(String text) {
    List<ArticleKey> refs = new ArrayList<>();
    Matcher m = ARTICLE_REF.matcher(text);
    while (m.find()) {
      int number = ChineseNumerals.parse(m.group(1));
      int suffix = m.group(2) == null ? 0 : ChineseNumerals.parse(m.group(2));
      if (number <= 0 || suffix < 0) {
        continue;
      }
      String before = text.substring(Math.max(0, m.start() - 40), m.start()).replaceAll("[《》\\s的]", "");
      lawEndingAt(before, number, suffix).ifPresent(law -> refs.add(new ArticleKey(law, number, suffix)));
    }
    return refs;
  }

  /** The law whose name (or a shortened name) ends the text; among several, one that has the article. */
  private Optional<String> lawEndingAt(String before, int number, int suffix) {
    for (int start = 0; start < before.length(); start++) {
      String tail = before.substring(start);
      if (laws.contains(tail)) {
        return Optional.of(tail);
      }
      if (tail.startsWith("中华人民共和国") && laws.contains(tail.substring(7))) {
        return Optional.of(tail.substring(7));
      }
      List<String> candidates = aliases.get(tail);
      if (candidates != null) {
        return candidates.stream()
            .sorted(Comparator.comparing((String law) -> !articles.contains(new ArticleKey(law, number, suffix).docId()))
                .thenComparing(String::length)
                .thenComparing(Comparator.naturalOrder()))
            .findFirst();
      }
    }
    return Optional.empty();
  }

  /** Builds a catalogue from statute article ids and guidance citations alike. */
  public static LawCatalog fromArticleIds(Collection<String> articleIds) {
    Set<String> laws = new HashSet<>();
    for (String id : articleIds) {
      int hash = id.indexOf('#');
      if (hash > 0) {
        laws.add(id.substring(0, hash));
      }
    }
    return new LawCatalog(laws, articleIds);
  }
}
