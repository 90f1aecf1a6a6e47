package cn.legalkoi.semantic;

import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.KnowledgeSnapshot;
import cn.legalkoi.knowledge.Statute;
import cn.legalkoi.knowledge.StatuteArticle;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The vector of every passage of a snapshot: taken from the cache where the text is unchanged, embedded
 * otherwise (in batches, with progress), and written back to the cache. Blocking.
 */
public final class PassageVectors {
  private static final int BATCH = 64;

  private final Map<String, float[]> byHash;
  private final int cached;
  private final int embedded;

  private PassageVectors(Map<String, float[]> byHash, int cached, int embedded) {
    this.byHash = byHash;
    this.cached = cached;
    this.embedded = embedded;
  }

  /** What a guidance document is embedded as: what an owner's question should resemble. */
  public static String guidanceText(GuidanceDocument doc) {
    return doc.title() + "\n" + String.join("\n", doc.questions()) + "\n" + doc.shortAnswer();
  }

  /** What an article is embedded as: the law, where the article stands in it, and its text. */
  public static String articleText(Statute statute, StatuteArticle article) {
    return statute.shortTitle() + " " + String.join(" ", article.headings()) + "\n" + article.text();
  }

  /**
   * @param progress called with the number of passages embedded so far, after each batch
   */
  public static PassageVectors compute(KnowledgeSnapshot snapshot, Embedder embedder, EmbeddingCache cache,
      IntConsumer progress) throws SQLException {
    Map<String, String> textByHash = new LinkedHashMap<>();
    for (GuidanceDocument doc : snapshot.guidance()) {
      String text = guidanceText(doc);
      textByHash.putIfAbsent(EmbeddingCache.hash(text), text);
    }
    for (Statute statute : snapshot.statutes()) {
      for (StatuteArticle article : statute.articles()) {
        String text = articleText(statute, article);
        textByHash.putIfAbsent(EmbeddingCache.hash(text), text);
      }
    }
    Map<String, float[]> vectors = new LinkedHashMap<>(cache.getAll(textByHash.keySet()));
    int cached = vectors.size();
    vectors.putAll(embedMissing(textByHash, vectors.keySet(), embedder, cache, progress));
    int done = vectors.size() - cached;
    return new PassageVectors(vectors, cached, done);
  }

  /**
   * Vectors of texts, from the cache where it has them and embedded (and cached) where not, in the texts' order.
   */
  public static List<float[]> vectorsOf(List<String> texts, Embedder embedder, EmbeddingCache cache)
      throws SQLException {
    Map<String, String> textByHash = new LinkedHashMap<>();
    for (String text : texts) {
      textByHash.putIfAbsent(EmbeddingCache.hash(text), text);
    }
    Map<String, float[]> vectors = new LinkedHashMap<>(cache.getAll(textByHash.keySet()));
    vectors.putAll(embedMissing(textByHash, vectors.keySet(), embedder, cache, n -> { }));
    return texts.stream().map(t -> vectors.get(EmbeddingCache.hash(t))).toList();
  }

  private static Map<String, float[]> embedMissing(Map<String, String> textByHash, java.util.Set<String> known,
      Embedder embedder, EmbeddingCache cache, IntConsumer progress) throws SQLException {
    List<String> missing = new ArrayList<>();
    textByHash.keySet().forEach(h -> {
      if (!known.contains(h)) {
        missing.add(h);
      }
    });
    Map<String, float[]> embedded = new LinkedHashMap<>();
    for (int from = 0; from < missing.size(); from += BATCH) {
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("embedding interrupted");
      }
      List<String> hashes = missing.subList(from, Math.min(missing.size(), from + BATCH));
      List<float[]> batch = embedder.embedAll(hashes.stream().map(textByHash::get).toList());
      Map<String, float[]> fresh = new LinkedHashMap<>();
      for (int i = 0; i < hashes.size(); i++) {
        fresh.put(hashes.get(i), batch.get(i));
      }
      cache.putAll(fresh);
      embedded.putAll(fresh);
      progress.accept(embedded.size());
    }
    return embedded;
  }

  public float[] forText(String text) {
    return byHash.get(EmbeddingCache.hash(text));
  }

  public int cached() {
    return cached;
  }

  public int embedded() {
    return embedded;
  }
}
