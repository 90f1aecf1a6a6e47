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
  /** How many recent questions' vectors are kept by default. */
  public static final int RECENT_QUESTIONS = 512;

  private final ExecutorService pool;
  private final ExecutorService questions;
  private final BgeSmallZhV15EmbeddingModel model;
  /** Recent questions' vectors: a question asked again is not embedded again. */
  private final Map<String, float[]> recentQuestions;
  /**
   * The question each thread asked for last: one ask runs on one search thread, and its answer decision and its
   * search both read the message's meaning, which is embedded once for both even when no recent ones are kept.
   */
  private final ThreadLocal<Asked> lastAsked = new ThreadLocal<>();
  private final java.util.concurrent.atomic.AtomicLong questionsEmbedded = new java.util.concurrent.atomic.AtomicLong();

  private record Asked(String text, CompletableFuture<float[]> vector) {
  }

  /** @param threads threads that embed passage batches during a reindex */
  public Embedder(int threads) {
    this(threads, RECENT_QUESTIONS);
  }

  /**
   * @param threads threads that embed passage batches during a reindex
   * @param recentQuestions how many recent questions' vectors to keep (0: none; a thread still reuses the vector of
   *     the text it asked for last)
   */
  public Embedder(int threads, int recentQuestions) {
    if (recentQuestions < 0) {
      throw new IllegalArgumentException("recentQuestions must not be negative: " + recentQuestions);
    }
    this.recentQuestions = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > recentQuestions;
      }
    });
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
    Asked last = lastAsked.get();
    if (last != null && last.text().equals(text) && !last.vector().isCompletedExceptionally()) {
      return last.vector();
    }
    float[] known = recentQuestions.get(text);
    CompletableFuture<float[]> vector = known != null ? CompletableFuture.completedFuture(known)
        : CompletableFuture.supplyAsync(() -> {
          float[] embedded = embed(text);
          questionsEmbedded.incrementAndGet();
          recentQuestions.put(text, embedded);
          return embedded;
        }, questions);
    lastAsked.set(new Asked(text, vector));
    return vector;
  }

  /** How many questions were run through the model so far (not those found among the recent ones). */
  public long questionsEmbedded() {
    return questionsEmbedded.get();
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
