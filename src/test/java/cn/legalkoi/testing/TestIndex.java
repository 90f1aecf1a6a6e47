package cn.legalkoi.testing;

import cn.legalkoi.knowledge.KnowledgeLoader;
import cn.legalkoi.search.ChineseAnalysis;
import cn.legalkoi.search.IndexGeneration;
import cn.legalkoi.search.KnowledgeIndexer;
import cn.legalkoi.search.KnowledgeSearcher;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.Synonyms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;

/** A real on-disk index of a knowledge base in a temp directory, with a searcher over it. */
public final class TestIndex implements AutoCloseable {
  public final IndexGeneration generation;
  public final KnowledgeSearcher searcher;

  private TestIndex(IndexGeneration generation, KnowledgeSearcher searcher) {
    this.generation = generation;
    this.searcher = searcher;
  }

  public static TestIndex build(Path knowledgeBase, Path workDir, Synonyms synonyms) throws IOException {
    Analyzer bigrams = ChineseAnalysis.bigrams();
    Analyzer words = ChineseAnalysis.words();
    Path dir = Files.createDirectories(workDir.resolve("index-" + System.nanoTime()));
    new KnowledgeIndexer(ChineseAnalysis.perField(bigrams, words))
        .build(new KnowledgeLoader(List.of(knowledgeBase)).load(), dir, n -> { });
    return new TestIndex(IndexGeneration.open(dir),
        new KnowledgeSearcher(bigrams, words, synonyms, RankingWeights.defaults()));
  }

  @Override
  public void close() {
    generation.close();
  }
}
