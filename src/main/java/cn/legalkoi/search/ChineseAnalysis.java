package cn.legalkoi.search;

import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/** The analysis chains of the index; index time and query time use the same ones. */
public final class ChineseAnalysis {
  private ChineseAnalysis() {
  }

  /** Overlapping CJK bigrams; isolated Han characters stay unigrams; Latin and digits as words. */
  public static Analyzer bigrams() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        TokenStream result = new CJKWidthFilter(source);
        result = new LowerCaseFilter(result);
        result = new CJKBigramFilter(result);
        return new TokenStreamComponents(source, result);
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(new CJKWidthFilter(in));
      }
    };
  }

  /** Single Han characters (the standard tokenizer splits them), Latin and digits as words. */
  public static Analyzer unigrams() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, new LowerCaseFilter(new CJKWidthFilter(source)));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(new CJKWidthFilter(in));
      }
    };
  }

  /** smartcn's HMM word segmenter, punctuation removed. */
  public static Analyzer words() {
    return new SmartChineseAnalyzer(true);
  }

  /** Routes each field to its chain by the field name's suffix. */
  public static Analyzer perField(Analyzer bigrams, Analyzer words) {
    Map<String, Analyzer> byField = new HashMap<>();
    for (String field : new String[] {IndexFields.TITLE, IndexFields.QUESTIONS, IndexFields.BODY, IndexFields.CONTEXT}) {
      byField.put(field + IndexFields.BIGRAM, bigrams);
      byField.put(field + IndexFields.WORD, words);
    }
    byField.put(IndexFields.BODY + IndexFields.UNIGRAM, unigrams());
    return new PerFieldAnalyzerWrapper(new StandardAnalyzer(), byField);
  }
}
