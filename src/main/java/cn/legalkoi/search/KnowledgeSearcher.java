package cn.legalkoi.search;

import cn.legalkoi.knowledge.ArticleKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.Set;
import cn.legalkoi.semantic.Embedder;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;

/**
 * Turns an owner's question into a Lucene query and runs it on one index generation. Blocking: a search
 * reads the index, so callers run it on a worker.
 */
public final class KnowledgeSearcher {
  /**
   * How many candidates each side of hybrid ranking contributes before fusion: for guidance nearly all of it
   * (the thresholds were fitted so); a statute-only search takes {@link StatuteRanking#candidates()}, and a
   * search of both kinds stays small.
   */
  private static final int HYBRID_GUIDANCE_CANDIDATES = 50;
  private static final int HYBRID_CANDIDATES = 20;
  /** Weight of a quoted phrase found as written. */
  private static final float PHRASE_BOOST = 2f;
  /** A named article outranks anything text similarity can score. */
  private static final float NAMED_ARTICLE = 1000f;
  private static final String[] GUIDANCE_FIELDS = {IndexFields.TITLE, IndexFields.QUESTIONS, IndexFields.BODY,
      IndexFields.CONTEXT};
  /** Most distinct bigrams and words a question is searched with; see {@link #rarest}. */
  private static final int MAX_BIGRAMS = 14;
  private static final int MAX_WORDS = 10;
  private static final String[] STATUTE_FIELDS = {IndexFields.BODY, IndexFields.CONTEXT};
  /** More passages than any one article has: an article's evidence goes to each of its passages. */
  private static final int MAX_PASSAGES_OF_ARTICLE = 16;
  /** Articles with the most evidence that a search lifts; well below Lucene's 1,024 clauses a query. */
  private static final int MAX_EVIDENCE_ARTICLES = 500;

  private final Analyzer bigrams;
  private final Analyzer unigrams = ChineseAnalysis.unigrams();
  private final Analyzer words;
  private final QueryBuilder bigramQueries;
  private final Synonyms synonyms;
  private final RankingWeights weights;
  private final Optional<Embedder> embedder;
  private final StatuteExamples examples;

  public KnowledgeSearcher(Analyzer bigrams, Analyzer words, Synonyms synonyms, RankingWeights weights,
      Optional<Embedder> embedder) {
    this(bigrams, words, synonyms, weights, embedder, StatuteExamples.none());
  }

  private KnowledgeSearcher(Analyzer bigrams, Analyzer words, Synonyms synonyms, RankingWeights weights,
      Optional<Embedder> embedder, StatuteExamples examples) {
    this.embedder = embedder;
    this.examples = examples;
    this.bigrams = bigrams;
    this.words = words;
    this.bigramQueries = new QueryBuilder(bigrams);
    this.synonyms = synonyms;
    this.weights = weights;
  }

  public KnowledgeSearcher withWeights(RankingWeights other) {
    return new KnowledgeSearcher(bigrams, words, synonyms, other, embedder, examples);
  }

  /**
   * The same searcher learning from these labelled questions in statute-only searches with semantic retrieval
   * (see {@link StatuteExamples}, weighted by {@link StatuteRanking#examples()}).
   */
  public KnowledgeSearcher withExamples(StatuteExamples labelled) {
    return new KnowledgeSearcher(bigrams, words, synonyms, weights, embedder, labelled);
  }

  /** The same searcher without semantic retrieval, as a service with it switched off would search. */
  public KnowledgeSearcher lexicalOnly() {
    return new KnowledgeSearcher(bigrams, words, synonyms, weights, Optional.empty(), examples);
  }

  public RankingWeights weights() {
    return weights;
  }

  public Analyzer words() {
    return words;
  }

  /** The in-process embedding model when semantic retrieval is on. */
  public Optional<Embedder> embedder() {
    return embedder;
  }

  /**
   * @param kind {@link SearchHit#GUIDANCE}, {@link SearchHit#STATUTE}, or null for both
   */
  public List<SearchHit> search(IndexGeneration generation, String question, int limit, String kind) {
    return search(generation, read(question), limit, kind, true);
  }

  /** The question as a search reads it; its analysis is a good part of a search's cost, so read it once. */
  public QueryText read(String question) {
    return QueryText.of(question, words);
  }

  /**
   * The same hits as {@link #search} for a question already {@linkplain #read read}, with an empty snippet: for a
   * decision that shows none, so that no snippet is chosen for every candidate.
   */
  public List<SearchHit> searchWithoutSnippets(IndexGeneration generation, QueryText asked, int limit, String kind) {
    return search(generation, asked, limit, kind, false);
  }

  private List<SearchHit> search(IndexGeneration generation, QueryText asked, int limit, String kind,
      boolean snippets) {
    boolean statutes = SearchHit.STATUTE.equals(kind);
    StatuteRanking statuteRanking = weights.statutes();
    QueryText text = statutes && !statuteRanking.stripFiller() ? asked.keepingFiller() : asked;
    Query query = buildQuery(generation, text, kind);
    if (query == null) {
      return List.of();
    }
    try {
      IndexSearcher searcher = generation.searcher();
      float share = statutes ? statuteRanking.lexicalShare() : weights.lexicalShare();
      boolean hybrid = embedder.isPresent() && generation.hasVectors() && share < 1f;
      int candidates = statutes ? statuteRanking.candidates()
          : SearchHit.GUIDANCE.equals(kind) ? HYBRID_GUIDANCE_CANDIDATES : HYBRID_CANDIDATES;
      int depth = hybrid ? Math.max(limit, candidates) : limit;
      CompletableFuture<float[]> vector = hybrid ? embedder.get().embedQuestion(text.normalized()) : null;
      // Exact hit counts are never shown, so scoring may skip documents that cannot enter the top hits at once.
      TopDocs lexical = share > 0 || !hybrid
          ? searcher.search(query, new TopScoreDocCollectorManager(depth, null, depth))
          : new TopDocs(null, new ScoreDoc[0]);
      Map<Integer, Float> similarity = new HashMap<>();
      List<ScoreDoc> ranked;
      if (hybrid) {
        float[] questionVector = await(vector);
        TopDocs semantic = searcher.search(new KnnFloatVectorQuery(IndexFields.VECTOR, questionVector, depth,
            filter(kind)), depth);
        for (ScoreDoc sd : semantic.scoreDocs) {
          similarity.put(sd.doc, 2 * sd.score - 1); // Lucene scores cosine as (1 + cos) / 2
        }
        ranked = HybridFusion.fuse(lexical.scoreDocs, semantic.scoreDocs, share, limit,
            statutes ? statuteRanking.fusion() : HybridFusion.Method.MIN_MAX,
            statutes ? exampleEvidence(generation, questionVector, statuteRanking) : Map.of());
      } else {
        ranked = List.of(lexical.scoreDocs);
      }
      return hits(generation, text, ranked, similarity, snippets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Evidence from the labelled examples nearest to the question, weighted, on the current passages of the articles
   * they cite; an article not in this index (or only in an old version) gets none. One query whose constant-score
   * clauses carry the evidence, so that a hit's score is its evidence.
   */
  private Map<Integer, Float> exampleEvidence(IndexGeneration generation, float[] asked, StatuteRanking ranking)
      throws IOException {
    if (examples.isEmpty() || ranking.examples() <= 0) {
      return Map.of();
    }
    Map<String, Float> cited = examples.evidence(asked, ranking.exampleNeighbours(), ranking.exampleSimilarity());
    if (cited.isEmpty()) {
      return Map.of();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    cited.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
        .limit(MAX_EVIDENCE_ARTICLES)
        .forEach(e -> query.add(new BoostQuery(new ConstantScoreQuery(
            new TermQuery(new Term(IndexFields.ID, e.getKey()))), ranking.examples() * e.getValue()), Occur.SHOULD));
    query.add(new TermQuery(new Term(IndexFields.OUTDATED, "1")), Occur.MUST_NOT);
    query.add(new TermQuery(new Term(IndexFields.KIND, SearchHit.GUIDANCE)), Occur.MUST_NOT);
    Map<Integer, Float> evidence = new HashMap<>();
    for (ScoreDoc sd : generation.searcher().search(query.build(),
        Math.min(cited.size(), MAX_EVIDENCE_ARTICLES) * MAX_PASSAGES_OF_ARTICLE)
        .scoreDocs) {
      evidence.put(sd.doc, sd.score);
    }
    return evidence;
  }

  private static float[] await(CompletableFuture<float[]> vector) {
    try {
      return vector.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while embedding the question", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("embedding the question failed", e.getCause());
    }
  }

  private static List<SearchHit> hits(IndexGeneration generation, QueryText text, List<ScoreDoc> ranked,
      Map<Integer, Float> similarity, boolean snippets) throws IOException {
    Set<String> queryGrams = snippets ? Snippets.bigramsOf(generation.laws().withoutReferences(text.content()))
        : Set.of();
    Set<String> named = new HashSet<>();
    generation.laws().articlesNamedIn(text.normalized()).forEach(a -> named.add(a.docId()));
    List<SearchHit> hits = new ArrayList<>(ranked.size());
    for (ScoreDoc sd : ranked) {
      IndexGeneration.StoredDocument d = generation.stored(sd.doc);
      hits.add(new SearchHit(d.id(), d.kind(), d.title(), d.citation(), sd.score,
          snippets ? Snippets.best(d.snippetSource(), queryGrams) : "", similarity.getOrDefault(sd.doc, Float.NaN)));
    }
    // an article the question names comes first, whatever the fusion made of it
    hits.sort(Comparator.comparing((SearchHit h) -> !named.contains(h.docId())));
    return hits;
  }

  /** The documents semantic retrieval may return: the same kind and version rules as the lexical query. */
  private static Query filter(String kind) {
    if (SearchHit.GUIDANCE.equals(kind)) {
      return new TermQuery(new Term(IndexFields.KIND, SearchHit.GUIDANCE));
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER)
        .add(new TermQuery(new Term(IndexFields.OUTDATED, "1")), Occur.MUST_NOT);
    if (SearchHit.STATUTE.equals(kind)) {
      b.add(new TermQuery(new Term(IndexFields.KIND, SearchHit.GUIDANCE)), Occur.MUST_NOT);
    }
    return b.build();
  }

  /**
   * The whole query for a question; null when nothing searchable is left of it. It is one flat disjunction of
   * boosted term clauses with rare exclusions, which lets Lucene skip documents that cannot reach the top hits;
   * a filter that matches nearly everything (all current statutes) would defeat that.
   */
  Query buildQuery(IndexGeneration generation, QueryText text, String kind) {
    LawCatalog laws = generation.laws();
    IndexReader reader = generation.searcher().getIndexReader();
    boolean statutes = SearchHit.STATUTE.equals(kind);
    StatuteRanking s = weights.statutes();
    String[] fields = statutes ? STATUTE_FIELDS : GUIDANCE_FIELDS;
    Chains chains = statutes ? new Chains(s.maxBigrams(), s.maxWords()) : new Chains(MAX_BIGRAMS, MAX_WORDS);
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    int should = 0;
    if (text.hasContent()) {
      should += addTextClauses(query, generation, text.content(), fields, 1f, true, chains);
      if (statutes && s.unigrams() > 0) {
        should += addTerms(query, generation, IndexFields.BODY + IndexFields.UNIGRAM,
            rarest(tokens(unigrams, text.content()), reader, IndexFields.BODY + IndexFields.UNIGRAM, s.maxUnigrams()),
            s.unigrams() * weights.body());
      }
      for (String expansion : synonyms.expansionsOf(text.content())) {
        should += addTextClauses(query, generation, expansion, fields, weights.synonym(), false, chains);
      }
    }
    for (String law : laws.lawsNamedIn(text.normalized())) {
      query.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.LAW, law))),
          weights.namedLaw()), Occur.SHOULD);
      should++;
    }
    for (ArticleKey article : laws.articlesNamedIn(text.normalized())) {
      query.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.ID, article.docId()))),
          NAMED_ARTICLE), Occur.SHOULD);
      query.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.CITES, article.docId()))),
          weights.citedArticle()), Occur.SHOULD);
      should += 2;
    }
    for (String phrase : text.phrases()) {
      Query exact = phraseQuery(phrase, fields);
      if (exact != null) {
        query.add(new BoostQuery(exact, PHRASE_BOOST), Occur.SHOULD);
        should++;
      }
    }
    if (should == 0) {
      return null;
    }
    if (SearchHit.GUIDANCE.equals(kind)) {
      query.setMinimumNumberShouldMatch(1); // beside a filter, optional clauses must still match one
    }
    query.add(new TermQuery(new Term(IndexFields.OUTDATED, "1")), Occur.MUST_NOT);
    if (SearchHit.GUIDANCE.equals(kind)) {
      query.add(new TermQuery(new Term(IndexFields.KIND, SearchHit.GUIDANCE)), Occur.FILTER);
    } else if (SearchHit.STATUTE.equals(kind)) {
      query.add(new TermQuery(new Term(IndexFields.KIND, SearchHit.GUIDANCE)), Occur.MUST_NOT);
    }
    return query.build();
  }

  /**
   * Adds one boosted term clause per distinct analysed token of {@code text} in each field; returns how many.
   * The text is analysed once per chain (every field of a chain shares its analyzer). Synonym expansions
   * ({@code bothChains} false) are law vocabulary the segmenter knows, so they are searched as words only.
   */
  private int addTextClauses(BooleanQuery.Builder query, IndexGeneration generation, String text, String[] fields,
      float weight, boolean bothChains, Chains chains) {
    IndexReader reader = generation.searcher().getIndexReader();
    Map<BytesRef, Integer> bigramTokens = bothChains && weights.bigrams() > 0
        ? rarest(tokens(bigrams, text), reader, IndexFields.BODY + IndexFields.BIGRAM, chains.maxBigrams()) : Map.of();
    boolean useWords = weights.words() > 0 || !bothChains;
    Map<BytesRef, Integer> wordTokens = useWords
        ? rarest(tokens(words, text), reader, IndexFields.BODY + IndexFields.WORD, chains.maxWords()) : Map.of();
    float wordWeight = weights.words() > 0 ? weights.words() : weights.bigrams();
    int added = 0;
    for (String field : fields) {
      float boost = weight * fieldBoost(field);
      added += addTerms(query, generation, field + IndexFields.BIGRAM, bigramTokens, boost * weights.bigrams());
      added += addTerms(query, generation, field + IndexFields.WORD, wordTokens, boost * wordWeight);
    }
    return added;
  }

  /** How many distinct tokens of each analysis chain a question keeps; see {@link #rarest}. */
  private record Chains(int maxBigrams, int maxWords) {
  }

  /** A token repeated in the question counts once per repetition, as one clause with the summed boost. */
  private static int addTerms(BooleanQuery.Builder query, IndexGeneration generation, String field,
      Map<BytesRef, Integer> tokens, float boost) {
    tokens.forEach((bytes, n) -> {
      Query clause = generation.termQuery(new Term(field, bytes));
      float b = boost * n;
      query.add(b == 1f ? clause : new BoostQuery(clause, b), Occur.SHOULD);
    });
    return tokens.size();
  }

  /**
   * A long, rambling question keeps only its {@code max} rarest tokens: the most common ones add little to the
   * ranking but cost the most to score, since their posting lists are the longest.
   */
  private static Map<BytesRef, Integer> rarest(Map<BytesRef, Integer> tokens, IndexReader reader, String field,
      int max) {
    if (tokens.size() <= max) {
      return tokens;
    }
    Map<BytesRef, Integer> docFreq = new HashMap<>();
    try {
      for (BytesRef token : tokens.keySet()) {
        docFreq.put(token, reader.docFreq(new Term(field, token)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<BytesRef, Integer> kept = new LinkedHashMap<>();
    tokens.keySet().stream().sorted(Comparator.comparing(docFreq::get)).limit(max)
        .forEach(token -> kept.put(token, tokens.get(token)));
    return kept;
  }

  private static Map<BytesRef, Integer> tokens(Analyzer analyzer, String text) {
    Map<BytesRef, Integer> counts = new LinkedHashMap<>();
    try (TokenStream stream = analyzer.tokenStream("", text)) {
      TermToBytesRefAttribute term = stream.addAttribute(TermToBytesRefAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        counts.merge(BytesRef.deepCopyOf(term.getBytesRef()), 1, Integer::sum);
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  /**
   * Text an owner put in quotes, as written: a bigram phrase in any searched field. Owners quote words for
   * emphasis (广告写了“第一品牌”), so a phrase lifts the passages that contain it but never excludes others:
   * nothing a user types acts as query syntax.
   */
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
