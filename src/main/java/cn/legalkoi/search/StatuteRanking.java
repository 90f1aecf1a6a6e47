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
 * @param maxBigrams most distinct bigrams a question is searched with (the rarest are kept)
 * @param maxWords most distinct words a question is searched with
 * @param unigrams weight of single-character matches in the article text (0: not searched)
 * @param maxUnigrams most distinct characters a question is searched with (the rarest are kept)
 * @param examples weight of the evidence from labelled example questions ({@link StatuteExamples}) added to the
 *     fused score (0: examples unused); only with semantic retrieval and a configured examples file
 * @param exampleNeighbours how many of the most similar examples give evidence
 * @param exampleSimilarity the cosine similarity an example must exceed to give evidence; it gives the excess
 */
public record StatuteRanking(int candidates, float lexicalShare, HybridFusion.Method fusion, boolean stripFiller,
    int maxBigrams, int maxWords, float unigrams, int maxUnigrams, float examples, int exampleNeighbours,
    float exampleSimilarity) {
  /** More neighbours than this stop being "similar questions". */
  public static final int MAX_EXAMPLE_NEIGHBOURS = 100;

  public StatuteRanking {
    if (examples < 0 || exampleNeighbours < 1 || exampleNeighbours > MAX_EXAMPLE_NEIGHBOURS) {
      throw new IllegalArgumentException("search.ranking.statutes: examples must be at least 0 and"
          + " exampleNeighbours between 1 and " + MAX_EXAMPLE_NEIGHBOURS);
    }
  }


  /**
   * Fitted on the fit part of the STARD train questions. Lay questions run long (median 69 characters), so they
   * keep up to 60 bigrams and 40 words rather than guidance's 14 and 10, and their filler stays in (BM25 weighs
   * it down by itself; blanking it did not help here). 100 candidates a side, put on one scale by z-scores:
   * min-max lets one outlying lexical score squeeze the rest of its list towards 0. Single characters of the
   * article text count as much as bigrams (up to the question's 40 rarest). With labelled examples, the 15 nearest
   * give evidence for what they cite, 5 × their similarity above 0.5 (about one z-score unit per close example);
   * an example less similar than 0.5 gives none.
   */
  public static StatuteRanking defaults() {
    return new StatuteRanking(100, 0.5f, HybridFusion.Method.Z_SCORE, false, 60, 40, 1f, 40, 5f, 15, 0.5f);
  }
}
