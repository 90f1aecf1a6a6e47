package cn.legalkoi.semantic;

/** What a reindex needs to add vectors: the model and the cache of vectors already computed. */
public record SemanticIndexing(Embedder embedder, EmbeddingCache cache) implements AutoCloseable {
  @Override
  public void close() throws Exception {
    cache.close();
    embedder.close();
  }
}
