package cn.legalkoi.search;

/**
 * Every Lucene field of the knowledge index, in one place. Guidance documents and statute articles share
 * one index; {@link #KIND} tells them apart. Text is indexed twice: as CJK bigrams (robust to words the
 * segmenter does not know, and exact for phrases) and as smartcn words (fewer spurious matches).
 */
public final class IndexFields {
  private IndexFields() {
  }

  /** Keyword, stored: guidance id, or statute article id like 行政处罚法#33. */
  public static final String ID = "id";
  /** Keyword, stored: "guidance" or "statute". */
  public static final String KIND = "kind";
  /**
   * Keyword: "1" on articles of an older version of their law, which default searches exclude. Marking the few
   * outdated passages (rather than filtering on the many current ones) keeps the query a pure disjunction that
   * Lucene can score with skipping.
   */
  public static final String OUTDATED = "outdated";
  /** Keyword: the law's short name (without 中华人民共和国), so a law the question names can be boosted. */
  public static final String LAW = "law";
  /** Keyword, multi-valued: article ids a guidance document cites in its basis. */
  public static final String CITES = "cites";

  /** Stored only: display title (guidance title, or the law's full name). */
  public static final String TITLE_STORED = "title_stored";
  /** Stored only: the citation shown with a result. */
  public static final String CITATION = "citation";
  /** Stored only: plain text a snippet is cut from (guidance short answer, or the article text). */
  public static final String SNIPPET_SOURCE = "snippet_source";
  /** Stored only: the whole guidance file, reparsed when a generation opens. */
  public static final String SOURCE_FILE = "source_file";
  /** Stored only: the knowledge-base path the passage came from. */
  public static final String PATH = "path";

  /** Prefixes of analysed text fields; the suffix names the analysis chain. */
  public static final String TITLE = "title";
  /** Guidance questions as owners phrase them; statutes leave it empty. */
  public static final String QUESTIONS = "questions";
  /** Guidance body text or article text. */
  public static final String BODY = "body";
  /** The statute heading path (编/章/节) and law name: context, weighted low. */
  public static final String CONTEXT = "context";

  /** Suffix of fields analysed into overlapping CJK bigrams. */
  public static final String BIGRAM = "_bi";
  /** Suffix of fields analysed by the smartcn word segmenter. */
  public static final String WORD = "_w";
  /**
   * Suffix of the statute article text as single characters: long lay questions share single characters with the
   * article meant where their bigrams differ (个体户 / 个体工商户). Statute articles only.
   */
  public static final String UNIGRAM = "_uni";

  /**
   * Vector (HNSW, cosine) of the passage as the embedding model reads it: a guidance document's title, owner
   * questions and short answer; an article's law name, headings and text. Absent in lexical-only generations.
   */
  public static final String VECTOR = "vector";

  /** Bumped whenever analysis or fields change, so an older on-disk index is rebuilt rather than reused. */
  public static final String SCHEMA_VERSION = "4";
}
