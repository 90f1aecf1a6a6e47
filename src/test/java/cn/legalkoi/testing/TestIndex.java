package cn.legalkoi.testing;

import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.search.ChineseAnalysis;
import cn.legalkoi.search.IndexGeneration;
import cn.legalkoi.search.KnowledgeIndexer;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.Synonyms;
import cn.legalkoi.semantic.Embedder;
import cn.legalkoi.semantic.EmbeddingCache;
import cn.legalkoi.semantic.PassageVectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;

/** A real on-disk index of a knowledge base in a temp directory, with a searcher over it. */
public final class TestIndex implements AutoCloseable {
  private static Embedder sharedEmbedder;

  public final IndexGeneration generation;
  public final KnowledgeSearcher searcher;

  private TestIndex(IndexGeneration generation, KnowledgeSearcher searcher) {
    this.generation = generation;
    this.searcher = searcher;
  }

  /** One model for the whole test run: loading it takes seconds, and it holds no state between calls. */
  public static synchronized Embedder embedder() {
    if (sharedEmbedder == null) {
      sharedEmbedder = new Embedder(2);
    }
    return sharedEmbedder;
  }

  public static TestIndex build(Path knowledgeBase, Path workDir, Synonyms synonyms) throws Exception {
    return build(knowledgeBase, workDir, synonyms, false, RankingWeights.defaults());
  }

  /** @param semantic with vectors from the real embedding model, and hybrid ranking */
  public static TestIndex build(Path knowledgeBase, Path workDir, Synonyms synonyms, boolean semantic,
      RankingWeights weights) throws Exception {
    Analyzer bigrams = ChineseAnalysis.bigrams();
    Analyzer words = ChineseAnalysis.words();
    Path dir = Files.createDirectories(workDir.resolve("index-" + System.nanoTime()));
    KnowledgeSnapshot snapshot = new KnowledgeLoader(List.of(knowledgeBase)).load();
    PassageVectors vectors = null;
    if (semantic) {
      try (EmbeddingCache cache = new EmbeddingCache(workDir.resolve("embeddings-" + System.nanoTime() + ".db"))) {
        vectors = PassageVectors.compute(snapshot, embedder(), cache, n -> { });
      }
    }
    new KnowledgeIndexer(ChineseAnalysis.perField(bigrams, words)).build(snapshot, vectors, dir, n -> { });
    return new TestIndex(IndexGeneration.open(dir), new KnowledgeSearcher(bigrams, words, synonyms, weights,
        semantic ? Optional.of(embedder()) : Optional.empty()));
  }

  @Override
  public void close() {
    generation.close();
  }
}
