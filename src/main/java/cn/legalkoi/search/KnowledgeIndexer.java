package cn.legalkoi.search;

import cn.legalkoi.knowledge.ArticleKey;
import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.knowledge.Statute;
import cn.legalkoi.knowledge.StatuteArticle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.VectorSimilarityFunction;
import cn.legalkoi.semantic.Embedder;
import cn.legalkoi.semantic.PassageVectors;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/** Writes one complete index generation from a knowledge snapshot. Blocking: run it on a worker. */
public final class KnowledgeIndexer {
  public static final String DATA_FINGERPRINT = "fingerprint";
  public static final String DATA_SCHEMA = "schema";
  public static final String DATA_DOCUMENTS = "documents";
  public static final String DATA_PASSAGES = "passages";
  public static final String DATA_BUILT_AT = "builtAt";
  /** The embedding model whose vectors the generation holds, or empty for a lexical-only generation. */
  public static final String DATA_SEMANTIC = "semantic";

  private final Analyzer analyzer;

  public KnowledgeIndexer(Analyzer perFieldAnalyzer) {
    this.analyzer = perFieldAnalyzer;
  }

  /**
   * Builds the generation into an empty directory; reports each passage written to {@code progress}.
   *
   * @param vectors the passages' vectors, or null for a lexical-only generation
   */
  public void build(KnowledgeSnapshot snapshot, PassageVectors vectors, Path directory, IntConsumer progress)
      throws IOException {
    // With vectors, a buffer that holds the whole build writes one segment, so the HNSW graph is built once
    // rather than once per segment and again when the segments are merged.
    IndexWriterConfig config = new IndexWriterConfig(analyzer)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(vectors == null ? 64 : 384);
    try (FSDirectory dir = FSDirectory.open(directory); IndexWriter writer = new IndexWriter(dir, config)) {
      int written = 0;
      for (GuidanceDocument doc : snapshot.guidance()) {
        Document d = guidanceDocument(doc);
        addVector(d, vectors, PassageVectors.guidanceText(doc));
        writer.addDocument(d);
        progress.accept(++written);
      }
      for (Statute statute : snapshot.statutes()) {
        boolean current = snapshot.isCurrent(statute);
        for (StatuteArticle article : statute.articles()) {
          Document d = articleDocument(statute, article, current);
          addVector(d, vectors, PassageVectors.articleText(statute, article));
          writer.addDocument(d);
          progress.accept(++written);
        }
      }
      Map<String, String> data = new HashMap<>();
      data.put(DATA_FINGERPRINT, snapshot.fingerprint());
      data.put(DATA_SCHEMA, IndexFields.SCHEMA_VERSION);
      data.put(DATA_DOCUMENTS, Integer.toString(snapshot.documentCount()));
      data.put(DATA_PASSAGES, Integer.toString(snapshot.passageCount()));
      data.put(DATA_BUILT_AT, java.time.Instant.now().toString());
      data.put(DATA_SEMANTIC, vectors == null ? "" : Embedder.MODEL);
      writer.setLiveCommitData(data.entrySet());
      // A generation is written once and then only read: one segment means one term lookup per query term.
      writer.forceMerge(1);
      writer.commit();
    }
  }

  private static void addVector(Document d, PassageVectors vectors, String text) {
    if (vectors == null) {
      return;
    }
    float[] vector = vectors.forText(text);
    if (vector == null) {
      throw new IllegalStateException("no vector for a passage of " + d.get(IndexFields.ID));
    }
    d.add(new KnnFloatVectorField(IndexFields.VECTOR, vector, VectorSimilarityFunction.COSINE));
  }

  static Document guidanceDocument(GuidanceDocument doc) {
    Document d = new Document();
    d.add(new StringField(IndexFields.ID, doc.id(), Field.Store.YES));
    d.add(new StringField(IndexFields.KIND, SearchHit.GUIDANCE, Field.Store.YES));
    for (String citation : doc.basis()) {
      ArticleKey.fromCitation(citation)
          .ifPresent(key -> d.add(new StringField(IndexFields.CITES, key.docId(), Field.Store.NO)));
    }
    d.add(new StoredField(IndexFields.TITLE_STORED, doc.title()));
    d.add(new StoredField(IndexFields.CITATION, doc.basis().get(0)));
    d.add(new StoredField(IndexFields.SNIPPET_SOURCE, doc.shortAnswer()));
    d.add(new StoredField(IndexFields.SOURCE_FILE, GuidanceCodec.encode(doc)));
    d.add(new StoredField(IndexFields.PATH, doc.path()));
    addText(d, IndexFields.TITLE, doc.title());
    for (String question : doc.questions()) {
      addText(d, IndexFields.QUESTIONS, question);
    }
    addText(d, IndexFields.BODY, doc.shortAnswer() + "\n" + doc.detailText());
    addText(d, IndexFields.CONTEXT, doc.category());
    return d;
  }

  static Document articleDocument(Statute statute, StatuteArticle article, boolean current) {
    Document d = new Document();
    d.add(new StringField(IndexFields.ID, article.key().docId(), Field.Store.YES));
    d.add(new StringField(IndexFields.KIND, SearchHit.STATUTE, Field.Store.YES));
    if (!current) {
      d.add(new StringField(IndexFields.OUTDATED, "1", Field.Store.NO));
    }
    d.add(new StringField(IndexFields.LAW, statute.shortTitle(), Field.Store.NO));
    d.add(new StoredField(IndexFields.TITLE_STORED, statute.title()));
    d.add(new StoredField(IndexFields.CITATION, article.citation(statute.title())));
    d.add(new StoredField(IndexFields.SNIPPET_SOURCE, article.text()));
    d.add(new StoredField(IndexFields.PATH, statute.path()));
    addText(d, IndexFields.BODY, article.text());
    d.add(new TextField(IndexFields.BODY + IndexFields.UNIGRAM, article.text(), Field.Store.NO));
    addText(d, IndexFields.CONTEXT, statute.shortTitle() + " " + String.join(" ", article.headings()));
    return d;
  }

  private static void addText(Document d, String field, String text) {
    d.add(new TextField(field + IndexFields.BIGRAM, text, Field.Store.NO));
    d.add(new TextField(field + IndexFields.WORD, text, Field.Store.NO));
  }
}
