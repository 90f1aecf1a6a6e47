package cn.legalkoi.search;

/**
 * How statute articles are ranked when a search asks for statutes only. Lay questions against all national
 * laws behave unlike owners' questions against the team's guidance (long, narrative, rarely naming the law),
 * so statutes have settings of their own; see docs/search-quality.md, "Statute search on real laws".
 *
 * @param candidates how many candidates each side of hybrid ranking contributes before fusion
 * @param lexicalShare weight of the lexical side in hybrid ranking
 * @param fusion how the two candidate lists are put on one scale
 * @param stripFiller blank owners' filler words (请问, 怎么办 …) before the lexical search
 * @param synonym weight of synonym expansions (0 = none)
 * @param namedLaw score added to every article of a law the question names
 * @param maxBigrams most distinct bigrams a question is searched with (the rarest are kept)
 * @param maxWords most distinct words a question is searched with
 * @param words weight of the smartcn word fields, relative to the bigram fields
 * @param context boost of a match in the law's name and the article's headings (the article text counts 1)
 * @param queryInstruction prefix BGE recommends for short queries that look for passages ("" = none)
 * @param lawEvidence how much an article gains when other candidates come from the same law
 */
public record StatuteRanking(int candidates, float lexicalShare, HybridFusion.Method fusion, boolean stripFiller,
    float synonym, float namedLaw, int maxBigrams, int maxWords, float words, float context, String queryInstruction,
    float lawEvidence) {

  /** The instruction BGE v1.5 documents for retrieval queries in Chinese. */
  public static final String BGE_INSTRUCTION = "为这个句子生成表示以用于检索相关文章：";

  /**
   * Fitted on the fit part of the STARD train questions: lay questions run long (median 69 characters), so they
   * keep up to 60 bigrams and 40 words rather than guidance's 14 and 10, and their filler stays in (BM25 weighs
   * it down by itself, and blanking it cut phrases apart).
   */
  public static StatuteRanking defaults() {
    return new StatuteRanking(20, 0.5f, HybridFusion.Method.MIN_MAX, false, 0.4f, 8f, 60, 40, 1f, 0.5f, "", 0f);
  }
}
