package cn.legalkoi.search;

/**
 * How much each part of a query counts. The defaults were fitted on the labelled questions in
 * {@code src/main/resources/labelled/tune.tsv}; see docs/search-quality.md for the runs behind them.
 *
 * @param bigrams weight of the CJK bigram fields
 * @param words weight of the smartcn word fields
 * @param title boost of a guidance title match
 * @param questions boost of a match in a guidance document's owner questions
 * @param body boost of a match in guidance body or article text
 * @param context boost of a match in a statute's law name and headings, or a guidance category
 * @param synonym weight of a synonym expansion relative to the literal words
 * @param namedLaw score added to every article of a law the question names
 * @param citedArticle score added to guidance that cites an article the question names
 * @param lexicalShare in hybrid ranking, the weight of the min-max normalised lexical score; the semantic score
 *     gets the rest (1 = lexical only, 0 = semantic only)
 * @param statutes how a search for statutes only ranks articles
 */
public record RankingWeights(float bigrams, float words, float title, float questions, float body, float context,
    float synonym, float namedLaw, float citedArticle, float lexicalShare, StatuteRanking statutes) {

  public static RankingWeights defaults() {
    return new RankingWeights(1.0f, 1.0f, 3.0f, 3.0f, 1.0f, 0.5f, 0.4f, 8.0f, 30.0f, 0.5f, StatuteRanking.defaults());
  }

  public RankingWeights withChains(float bigramWeight, float wordWeight) {
    return new RankingWeights(bigramWeight, wordWeight, title, questions, body, context, synonym, namedLaw,
        citedArticle, lexicalShare, statutes);
  }

  public RankingWeights withLexicalShare(float share) {
    return new RankingWeights(bigrams, words, title, questions, body, context, synonym, namedLaw, citedArticle, share,
        statutes);
  }

  public RankingWeights withStatutes(StatuteRanking ranking) {
    return new RankingWeights(bigrams, words, title, questions, body, context, synonym, namedLaw, citedArticle,
        lexicalShare, ranking);
  }
}
