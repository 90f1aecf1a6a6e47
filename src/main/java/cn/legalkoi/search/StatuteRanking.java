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
 * @param queryInstruction prefix BGE recommends for short queries that look for passages ("" = none)
 * @param lawEvidence how much an article gains when other candidates come from the same law
 */
public record StatuteRanking(int candidates, float lexicalShare, HybridFusion.Method fusion, boolean stripFiller,
    float synonym, float namedLaw, int maxBigrams, int maxWords, float words, String queryInstruction,
    float lawEvidence) {

  /** The instruction BGE v1.5 documents for retrieval queries in Chinese. */
  public static final String BGE_INSTRUCTION = "为这个句子生成表示以用于检索相关文章：";

  /** The ranking statutes had before they were measured: the guidance settings with fewer candidates. */
  public static StatuteRanking defaults() {
    return new StatuteRanking(20, 0.5f, HybridFusion.Method.MIN_MAX, true, 0.4f, 8f, 14, 10, 1f, "", 0f);
  }

  public StatuteRanking withCandidates(int n) {
    return new StatuteRanking(n, lexicalShare, fusion, stripFiller, synonym, namedLaw, maxBigrams, maxWords, words,
        queryInstruction, lawEvidence);
  }

  public StatuteRanking withFusion(HybridFusion.Method method, float share) {
    return new StatuteRanking(candidates, share, method, stripFiller, synonym, namedLaw, maxBigrams, maxWords, words,
        queryInstruction, lawEvidence);
  }

  public StatuteRanking withQuery(boolean strip, float synonymWeight, float namedLawBoost) {
    return new StatuteRanking(candidates, lexicalShare, fusion, strip, synonymWeight, namedLawBoost, maxBigrams,
        maxWords, words, queryInstruction, lawEvidence);
  }

  public StatuteRanking withTokens(int bigramCap, int wordCap, float wordWeight) {
    return new StatuteRanking(candidates, lexicalShare, fusion, stripFiller, synonym, namedLaw, bigramCap, wordCap,
        wordWeight, queryInstruction, lawEvidence);
  }

  public StatuteRanking withInstruction(String instruction) {
    return new StatuteRanking(candidates, lexicalShare, fusion, stripFiller, synonym, namedLaw, maxBigrams, maxWords,
        words, instruction, lawEvidence);
  }

  public StatuteRanking withLawEvidence(float lift) {
    return new StatuteRanking(candidates, lexicalShare, fusion, stripFiller, synonym, namedLaw, maxBigrams, maxWords,
        words, queryInstruction, lift);
  }
}
