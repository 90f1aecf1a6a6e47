package cn.legalkoi.bench;

import cn.legalkoi.knowledge.ChineseNumerals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.answer.LabelledQuestion;
import cn.legalkoi.search.ChineseAnalysis;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A generated body of statute-like files for the benchmark: laws of 50 articles under chapter headings, sentences
 * drawn word by word from the shipped guidance's own vocabulary with its word frequencies, so the index has
 * realistic term statistics without shipping any official text. The questions are the labelled owner questions.
 */
final class StatuteCorpus {
  static final String[] LAW_KINDS = {"法", "条例", "规定", "办法"};

  final List<String> questions = new ArrayList<>();
  final List<String> lawNames = new ArrayList<>();
  int passages;

  /** Writes {@code laws} files of {@code articlesPerLaw} articles into {@code kb/statutes}. */
  static StatuteCorpus write(Path kb, int laws, int articlesPerLaw, long seed) throws IOException {
    StatuteCorpus corpus = new StatuteCorpus();
    Random random = new Random(seed);
    List<String> vocabulary = vocabulary();
    Path dir = Files.createDirectories(kb.resolve("statutes"));
    for (int law = 0; law < laws; law++) {
      String name = word(vocabulary, random) + word(vocabulary, random) + LAW_KINDS[law % LAW_KINDS.length]
          + ChineseNumerals.format(law + 1);
      corpus.lawNames.add(name);
      StringBuilder text = new StringBuilder("# 中华人民共和国").append(name).append("\n\n（基准测试生成文本）\n");
      for (int a = 1; a <= articlesPerLaw; a++) {
        if (a % 10 == 1) {
          text.append("\n## 第").append(ChineseNumerals.format(a / 10 + 1)).append("章 ")
              .append(word(vocabulary, random)).append("\n\n");
        }
        text.append("第").append(ChineseNumerals.format(a)).append("条 ")
            .append(sentence(vocabulary, random, 20 + random.nextInt(50))).append("\n\n");
        corpus.passages++;
      }
      Files.writeString(dir.resolve(String.format("law-%05d.md", law)), text, StandardCharsets.UTF_8);
    }
    for (LabelledQuestion q : LabelledQuestion.tuneSet()) {
      corpus.questions.add(q.question());
    }
    for (int i = 0; i < 40; i++) {
      corpus.questions.add(corpus.lawNames.get(random.nextInt(laws)) + "第"
          + ChineseNumerals.format(1 + random.nextInt(articlesPerLaw)) + "条规定了什么");
    }
    return corpus;
  }

  /** Every word of the shipped guidance, once per occurrence: sampling from it follows the real frequencies. */
  private static List<String> vocabulary() throws IOException {
    List<String> words = new ArrayList<>();
    try (Analyzer analyzer = ChineseAnalysis.words()) {
      for (GuidanceDocument doc : new KnowledgeLoader(List.of(Path.of("knowledge-base"))).load().guidance()) {
        try (TokenStream stream = analyzer.tokenStream("x", doc.shortAnswer() + doc.detailText())) {
          CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
          stream.reset();
          while (stream.incrementToken()) {
            if (term.length() > 0 && Character.isIdeographic(term.charAt(0))) {
              words.add(term.toString());
            }
          }
          stream.end();
        }
      }
    }
    return words;
  }

  private static String word(List<String> vocabulary, Random random) {
    return vocabulary.get(random.nextInt(vocabulary.size()));
  }

  private static String sentence(List<String> vocabulary, Random random, int words) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < words; i++) {
      s.append(word(vocabulary, random));
      if (i % 7 == 6 && i < words - 1) {
        s.append(random.nextInt(3) == 0 ? "、" : "，");
      }
    }
    return s.append("。").toString();
  }
}
