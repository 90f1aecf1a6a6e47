package cn.legalkoi.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15.BgeSmallZhV15EmbeddingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
  private static final int RECENT_QUESTIONS = 512;

  private final ExecutorService pool;
  private final ExecutorService questions;
  private final BgeSmallZhV15EmbeddingModel model;
  /** Recent questions' vectors: the answer decision and the search read the same message's meaning. */
  private final Map<String, float[]> recentQuestions = Collections.synchronizedMap(
      new LinkedHashMap<>(RECENT_QUESTIONS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > RECENT_QUESTIONS;
        }
      });

  /** @param threads threads that embed passage batches during a reindex */
  public Embedder(int threads) {
    this.pool = Executors.newFixedThreadPool(threads, daemon("legal-koi-embedding"));
    this.questions = Executors.newFixedThreadPool(2, daemon("legal-koi-question-embedding"));
    this.model = new BgeSmallZhV15EmbeddingModel(pool);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread t = new Thread(runnable, name);
      t.setDaemon(true);
      return t;
    };
  }

  public float[] embed(String text) {
    return model.embed(clip(text)).content().vector();
  }

  /**
   * Embeds a question on threads of its own, so a search can run its lexical part meanwhile, and questions do
   * not queue behind the passage batches of a running reindex. A question seen lately is not embedded again.
   */
  public CompletableFuture<float[]> embedQuestion(String text) {
    float[] known = recentQuestions.get(text);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return CompletableFuture.supplyAsync(() -> {
      float[] vector = embed(text);
      recentQuestions.put(text, vector);
      return vector;
    }, questions);
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
    questions.shutdownNow();
    pool.shutdownNow();
  }
}
