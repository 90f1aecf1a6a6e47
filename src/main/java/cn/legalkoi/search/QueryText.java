package cn.legalkoi.search;

import cn.legalkoi.knowledge.TextNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * What an owner typed, made ready for search: normalised, with the filler words that carry no legal meaning
 * (请问, 怎么办, 吗, 可以 …) blanked out so they do not drive ranking, and quoted phrases kept apart.
 * Nothing a user types is ever query syntax.
 *
 * @param normalized the question with odd spaces and widths folded
 * @param content the question with filler blanked out; what the text clauses search for
 * @param phrases text the user put in quotes, searched also as written
 */
public record QueryText(String normalized, String content, List<String> phrases) {
  /** Filler that is safe to blank wherever it occurs. */
  private static final List<String> FILLER_PHRASES = List.of(
      "请问一下", "请问", "问一下", "想问", "请教", "咨询一下", "怎么办", "咋办", "怎么样", "怎么弄", "咋弄", "怎么回事",
      "能不能", "可不可以", "是不是", "会不会", "要不要", "有没有", "该不该", "行不行", "需不需要",
      "谢谢", "你好", "您好");
  /** Filler blanked only where the word segmenter sees it as a word of its own. */
  private static final Set<String> FILLER_WORDS = Set.of(
      "吗", "呢", "吧", "啊", "呀", "嘛", "哦", "哈", "了", "的", "么", "啦", "哪", "呗",
      "我", "我们", "你", "你们", "您", "他", "她", "他们", "咱", "咱们", "俺",
      "可以", "能", "会", "要", "得", "该", "应该", "需要", "想", "还", "都", "就", "又", "也", "这", "那", "这个", "那个",
      "怎么", "怎样", "如何", "咋", "什么", "啥", "哪些", "为什么", "是", "有", "在", "一下", "多少", "几",
      "规定", "情况", "问题", "请", "问");
  private static final Pattern QUOTED = Pattern.compile("[\"“”「『]([^\"“”」』]{1,100})[\"“”」』]");

  public static QueryText of(String raw, Analyzer words) {
    String normalized = TextNormalizer.normalize(raw).strip();
    List<String> phrases = new ArrayList<>();
    Matcher quoted = QUOTED.matcher(normalized);
    while (quoted.find()) {
      if (!quoted.group(1).isBlank()) {
        phrases.add(quoted.group(1).strip());
      }
    }
    StringBuilder content = new StringBuilder(normalized.replaceAll("[\"“”「」『』]", " "));
    for (String filler : FILLER_PHRASES) {
      for (int at = content.indexOf(filler); at >= 0; at = content.indexOf(filler, at)) {
        blank(content, at, at + filler.length());
      }
    }
    blankFillerWords(content, words);
    return new QueryText(normalized, content.toString().replaceAll(" {2,}", " ").strip(), List.copyOf(phrases));
  }

  /** The same question with its filler kept as content; quote marks are still blanked. */
  public QueryText keepingFiller() {
    return new QueryText(normalized, normalized.replaceAll("[\"“”「」『』]", " ").replaceAll(" {2,}", " ").strip(),
        phrases);
  }

  public boolean hasContent() {
    return !content.isBlank();
  }

  private static void blankFillerWords(StringBuilder text, Analyzer words) {
    try (TokenStream stream = words.tokenStream("q", text.toString())) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      stream.reset();
      List<int[]> spans = new ArrayList<>();
      while (stream.incrementToken()) {
        if (FILLER_WORDS.contains(term.toString())) {
          spans.add(new int[] {offset.startOffset(), offset.endOffset()});
        }
      }
      stream.end();
      for (int[] span : spans) {
        blank(text, span[0], span[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void blank(StringBuilder text, int from, int to) {
    for (int i = from; i < to && i < text.length(); i++) {
      text.setCharAt(i, ' ');
    }
  }
}
