package cn.legalkoi.search;

import cn.legalkoi.knowledge.ArticleKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.QueryBuilder;

/**
 * Turns an owner's question into a Lucene query and runs it on one index generation. Blocking: a search
 * reads the index, so callers run it on a worker.
 */
public final class KnowledgeSearcher {
  /** A named article outranks anything text similarity can score. */
  private static final float NAMED_ARTICLE = 1000f;
  private static final String[] GUIDANCE_FIELDS = {IndexFields.TITLE, IndexFields.QUESTIONS, IndexFields.BODY,
      IndexFields.CONTEXT};
  private static final String[] STATUTE_FIELDS = {IndexFields.BODY, IndexFields.CONTEXT};

  private final Analyzer bigrams;
  private final Analyzer words;
  private final QueryBuilder bigramQueries;
  private final QueryBuilder wordQueries;
  private final Synonyms synonyms;
  private final RankingWeights weights;

  public KnowledgeSearcher(Analyzer bigrams, Analyzer words, Synonyms synonyms, RankingWeights weights) {
    this.bigrams = bigrams;
    this.words = words;
    this.bigramQueries = new QueryBuilder(bigrams);
    this.wordQueries = new QueryBuilder(words);
    this.synonyms = synonyms;
    this.weights = weights;
  }

  public KnowledgeSearcher withWeights(RankingWeights other) {
    return new KnowledgeSearcher(bigrams, words, synonyms, other);
  }

  public RankingWeights weights() {
    return weights;
  }

  public Analyzer words() {
    return words;
  }

  public Analyzer bigrams() {
    return bigrams;
  }

  /**
   * @param kind {@link SearchHit#GUIDANCE}, {@link SearchHit#STATUTE}, or null for both
   */
  public List<SearchHit> search(IndexGeneration generation, String question, int limit, String kind) {
    QueryText text = QueryText.of(question, words);
    Query query = buildQuery(generation.laws(), text, kind);
    if (query == null) {
      return List.of();
    }
    try {
      TopDocs top = generation.searcher().search(query, limit);
      StoredFields stored = generation.searcher().storedFields();
      Set<String> queryGrams = Snippets.bigramsOf(generation.laws().withoutReferences(text.content()));
      List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        Document d = stored.document(sd.doc);
        hits.add(new SearchHit(d.get(IndexFields.ID), d.get(IndexFields.KIND), d.get(IndexFields.TITLE_STORED),
            d.get(IndexFields.CITATION), sd.score, Snippets.best(d.get(IndexFields.SNIPPET_SOURCE), queryGrams)));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole query for a question; null when nothing searchable is left of it. */
  Query buildQuery(LawCatalog laws, QueryText text, String kind) {
    String[] fields = SearchHit.STATUTE.equals(kind) ? STATUTE_FIELDS : GUIDANCE_FIELDS;
    BooleanQuery.Builder scoring = new BooleanQuery.Builder();
    boolean any = false;
    if (text.hasContent()) {
      any |= addIfPresent(scoring, textQuery(text.content(), fields), 1f);
      for (String expansion : synonyms.expansionsOf(text.content())) {
        any |= addIfPresent(scoring, textQuery(expansion, fields), weights.synonym());
      }
    }
    for (String law : laws.lawsNamedIn(text.normalized())) {
      scoring.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.LAW, law))),
          weights.namedLaw()), Occur.SHOULD);
      any = true;
    }
    for (ArticleKey article : laws.articlesNamedIn(text.normalized())) {
      scoring.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.ID, article.docId()))),
          NAMED_ARTICLE), Occur.SHOULD);
      scoring.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.CITES, article.docId()))),
          weights.citedArticle()), Occur.SHOULD);
      any = true;
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String phrase : text.phrases()) {
      Query exact = phraseQuery(phrase, fields);
      if (exact != null) {
        query.add(exact, Occur.FILTER);
        any = true;
      }
    }
    if (!any) {
      return null;
    }
    query.add(scoring.build(), Occur.MUST);
    query.add(new TermQuery(new Term(IndexFields.CURRENT, "1")), Occur.FILTER);
    if (kind != null) {
      query.add(new TermQuery(new Term(IndexFields.KIND, kind)), Occur.FILTER);
    }
    return query.build();
  }

  private Query textQuery(String text, String[] fields) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    for (String field : fields) {
      float boost = fieldBoost(field);
      if (weights.bigrams() > 0) {
        any |= addIfPresent(b, bigramQueries.createBooleanQuery(field + IndexFields.BIGRAM, text),
            boost * weights.bigrams());
      }
      if (weights.words() > 0) {
        any |= addIfPresent(b, wordQueries.createBooleanQuery(field + IndexFields.WORD, text),
            boost * weights.words());
      }
    }
    return any ? b.build() : null;
  }

  /** Quoted text must appear as written: a bigram phrase in any searched field. */
  private Query phraseQuery(String phrase, String[] fields) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    for (String field : fields) {
      any |= addIfPresent(b, bigramQueries.createPhraseQuery(field + IndexFields.BIGRAM, phrase), 1f);
    }
    return any ? b.build() : null;
  }

  private float fieldBoost(String field) {
    switch (field) {
      case IndexFields.TITLE:
        return weights.title();
      case IndexFields.QUESTIONS:
        return weights.questions();
      case IndexFields.CONTEXT:
        return weights.context();
      default:
        return weights.body();
    }
  }

  private static boolean addIfPresent(BooleanQuery.Builder b, Query q, float boost) {
    if (q == null) {
      return false;
    }
    b.add(boost == 1f ? q : new BoostQuery(q, boost), Occur.SHOULD);
    return true;
  }
}
