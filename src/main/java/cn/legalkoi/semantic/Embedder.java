package cn.legalkoi.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * BGE small zh v1.5 running in this process on ONNX Runtime: the model and tokenizer ship inside the jar, so
 * nothing is downloaded and no text leaves the server. Vectors are L2-normalised, 512 dimensions. Blocking and
 * CPU-bound: call it from a worker.
 */
public final class Embedder implements AutoCloseable {
  public static final String MODEL = "bge-small-zh-v1.5";
  public static final int DIMENSIONS = 512;
  /** Long passages are cut: the model reads at most 512 tokens, and the start of an article carries its point. */
  static final int MAX_CHARS = 500;

  private final ExecutorService pool;
  private final BgeSmallZhV15EmbeddingModel model;

  public Embedder(int threads) {
    this.pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread t = new Thread(runnable, "legal-koi-embedding");
      t.setDaemon(true);
      return t;
    });
    this.model = new BgeSmallZhV15EmbeddingModel(pool);
  }

  public float[] embed(String text) {
    return model.embed(clip(text)).content().vector();
  }

  /** Embeds a batch, spreading it over the embedding threads. */
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      segments.add(TextSegment.from(clip(text)));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (Embedding e : model.embedAll(segments).content()) {
      vectors.add(e.vector());
    }
    return vectors;
  }

  private static String clip(String text) {
    String t = text.isBlank() ? "。" : text;
    return t.length() <= MAX_CHARS ? t : t.substring(0, MAX_CHARS);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
