package cn.legalkoi.search;

import cn.legalkoi.knowledge.GuidanceDocument;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened, immutable index generation with what queries need beside it: the guidance documents and the
 * catalogue of laws. Reference counted, so a swap never closes it under a running search.
 */
public final class IndexGeneration implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexGeneration.class);
  private final Path directory;
  private final FSDirectory luceneDirectory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Map<String, GuidanceDocument> guidance;
  private final LawCatalog laws;
  private final Set<String> articles;
  private final Map<String, Set<String>> guidanceCoreBigrams;
  private final Map<String, Integer> guidanceBigramFrequency;
  private final Map<String, String> commitData;
  private final AtomicInteger references = new AtomicInteger(1);
  /** What a hit shows of each document, read once: a generation's documents never change. */
  private final AtomicReferenceArray<StoredDocument> stored;
  /**
   * Each question term's place in the index, looked up once: a question's dozens of term clauses would otherwise
   * each walk the term dictionary again (most of a search's garbage). Bounded; a term beyond it is looked up as
   * usual.
   */
  private final java.util.concurrent.ConcurrentHashMap<Term, org.apache.lucene.index.TermStates> termStates =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_CACHED_TERMS = 200_000;
  private volatile boolean deleteWhenClosed;

  /** The stored fields a search hit shows, as the indexer wrote them. */
  record StoredDocument(String id, String kind, String title, String citation, String snippetSource) {
  }

  private IndexGeneration(Path directory, FSDirectory luceneDirectory, DirectoryReader reader,
      Map<String, GuidanceDocument> guidance, List<String> articleIds, List<String> knownArticleIds,
      Map<String, String> commitData) {
    this.directory = directory;
    this.luceneDirectory = luceneDirectory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.stored = new AtomicReferenceArray<>(reader.maxDoc());
    this.guidance = guidance;
    this.articles = Set.copyOf(articleIds);
    this.laws = LawCatalog.fromArticleIds(knownArticleIds);
    Map<String, Set<String>> core = new HashMap<>();
    guidance.values().forEach(doc -> core.put(doc.id(), Snippets.bigramsOf(
        doc.title() + "\n" + String.join("\n", doc.questions()) + "\n" + doc.shortAnswer())));
    this.guidanceCoreBigrams = Map.copyOf(core);
    Map<String, Integer> frequency = new HashMap<>();
    guidance.values().forEach(doc -> Snippets.bigramsOf(doc.title() + "\n" + String.join("\n", doc.questions()) + "\n"
        + doc.shortAnswer() + "\n" + doc.detailText()).forEach(g -> frequency.merge(g, 1, Integer::sum)));
    this.guidanceBigramFrequency = Map.copyOf(frequency);
    this.commitData = commitData;
  }

  /** Opens a generation written by {@link KnowledgeIndexer}. Blocking. */
  public static IndexGeneration open(Path directory) throws IOException {
    FSDirectory dir = FSDirectory.open(directory);
    DirectoryReader reader = null;
    try {
      reader = DirectoryReader.open(dir);
      IndexSearcher searcher = new IndexSearcher(reader);
      Map<String, GuidanceDocument> guidance = new LinkedHashMap<>();
      TopDocs docs = searcher.search(new TermQuery(new Term(IndexFields.KIND, SearchHit.GUIDANCE)), Integer.MAX_VALUE / 2);
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc sd : docs.scoreDocs) {
        GuidanceDocument doc = GuidanceCodec.decode(stored.document(sd.doc).get(IndexFields.SOURCE_FILE));
        guidance.put(doc.id(), doc);
      }
      List<String> ids = new ArrayList<>();
      addTerms(reader, IndexFields.ID, ids, true);
      List<String> cited = new ArrayList<>(ids);
      addTerms(reader, IndexFields.CITES, cited, false);
      Map<String, String> commitData = Map.copyOf(reader.getIndexCommit().getUserData());
      return new IndexGeneration(directory, dir, reader, Map.copyOf(guidance), ids, cited, commitData);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(reader, dir);
      throw e;
    }
  }

  private static void addTerms(DirectoryReader reader, String field, List<String> into, boolean articlesOnly)
      throws IOException {
    Terms terms = MultiTerms.getTerms(reader, field);
    if (terms == null) {
      return;
    }
    TermsEnum it = terms.iterator();
    for (BytesRef term = it.next(); term != null; term = it.next()) {
      String value = term.utf8ToString();
      if (!articlesOnly || value.indexOf('#') > 0) {
        into.add(value);
      }
    }
  }

  /**
   * The stored fields of Lucene document {@code doc}, decoded on its first hit and kept for the generation's life
   * (about the size of the passages' text), so that a search does not decompress and decode them for every hit.
   */
  StoredDocument stored(int doc) throws IOException {
    StoredDocument known = stored.get(doc);
    if (known != null) {
      return known;
    }
    Document d = searcher.storedFields().document(doc);
    StoredDocument read = new StoredDocument(d.get(IndexFields.ID), d.get(IndexFields.KIND),
        d.get(IndexFields.TITLE_STORED), d.get(IndexFields.CITATION), d.get(IndexFields.SNIPPET_SOURCE));
    stored.set(doc, read);
    return read;
  }

  public IndexSearcher searcher() {
    return searcher;
  }

  /**
   * A term query that carries the term's statistics in this generation, looked up on first use and kept (a
   * generation never changes), so that searching it again skips the term dictionary. Scores are the same as a plain
   * {@code TermQuery}'s; on another searcher Lucene looks the term up again itself.
   */
  TermQuery termQuery(Term term) {
    org.apache.lucene.index.TermStates states = termStates.get(term);
    if (states == null) {
      try {
        states = org.apache.lucene.index.TermStates.build(searcher, term, true);
      } catch (java.io.IOException e) {
        return new TermQuery(term);
      }
      if (termStates.size() < MAX_CACHED_TERMS) {
        termStates.putIfAbsent(term, states);
      }
    }
    return new TermQuery(term, states);
  }

  public Optional<GuidanceDocument> guidance(String id) {
    return Optional.ofNullable(guidance.get(id));
  }

  public Map<String, GuidanceDocument> guidance() {
    return guidance;
  }

  /** The bigrams of a guidance document's title, questions and short answer: what a confident match covers. */
  public Set<String> guidanceCoreBigrams(String id) {
    return guidanceCoreBigrams.getOrDefault(id, Set.of());
  }

  /**
   * How telling a bigram is among the guidance: rare ones weigh more, and one no guidance contains weighs most,
   * so a question about something the guidance never mentions (专利, 离婚) cannot look well covered.
   */
  public double guidanceBigramWeight(String bigram) {
    int n = guidance.size();
    int df = guidanceBigramFrequency.getOrDefault(bigram, 0);
    return Math.log(1 + (n + 1.0) / (df + 0.5));
  }

  /** True when no guidance document contains the bigram anywhere. */
  public boolean isUnknownToGuidance(String bigram) {
    return !guidanceBigramFrequency.containsKey(bigram);
  }

  /** True when the index holds this statute article (any version). */
  public boolean hasArticle(String articleId) {
    return articles.contains(articleId);
  }

  public LawCatalog laws() {
    return laws;
  }

  public Path directory() {
    return directory;
  }

  public String fingerprint() {
    return commitData.getOrDefault(KnowledgeIndexer.DATA_FINGERPRINT, "");
  }

  public String schema() {
    return commitData.getOrDefault(KnowledgeIndexer.DATA_SCHEMA, "");
  }

  /** True when the generation holds passage vectors for semantic retrieval. */
  public boolean hasVectors() {
    return !commitData.getOrDefault(KnowledgeIndexer.DATA_SEMANTIC, "").isEmpty();
  }

  public int documents() {
    return Integer.parseInt(commitData.getOrDefault(KnowledgeIndexer.DATA_DOCUMENTS, "0"));
  }

  public int passages() {
    return reader.numDocs();
  }

  /** Takes a reference for one search; false once the generation is closing. */
  boolean tryAcquire() {
    while (true) {
      int n = references.get();
      if (n <= 0) {
        return false;
      }
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    if (references.decrementAndGet() == 0) {
      closeNow();
    }
  }

  /** Drops the owner's reference; the files are deleted once the last search lets go. */
  void retire(boolean deleteFiles) {
    deleteWhenClosed = deleteFiles;
    release();
  }

  @Override
  public void close() {
    release();
  }

  /** Runs in the finally block of the last search: a failure here is logged, never thrown into that search. */
  private void closeNow() {
    try {
      IOUtils.close(reader, luceneDirectory);
      if (deleteWhenClosed) {
        IOUtils.rm(directory);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not close or remove the retired index generation {}: {}", directory.getFileName(), e.toString());
    }
  }
}
