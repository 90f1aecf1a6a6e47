package cn.legalkoi.config;

import cn.legalkoi.answer.DecisionThresholds;
import cn.legalkoi.search.RankingWeights;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole configuration, read once at start-up and handed to each part through its constructor.
 *
 * @param maxIndexDropShare a reindex that would lose more than this share of documents or passages is refused
 *     unless forced
 */
public record AppConfig(
    Http http,
    Path dataDir,
    String publicBaseUrl,
    List<Path> knowledgeDirs,
    Path synonymsFile,
    String adminBootstrapPassword,
    double maxIndexDropShare,
    RankingWeights ranking,
    DecisionThresholds thresholds,
    Limits limits,
    Semantic semantic,
    ChannelsConfig channels,
    ServicePromise promise,
    Chat chat,
    cn.legalkoi.tickets.SlaSettings sla,
    cn.legalkoi.tickets.TicketsSettings tickets,
    Review review,
    cn.legalkoi.alerts.AlertSettings alerts,
    cn.legalkoi.datacare.DataCareSettings dataCare,
    Metrics metrics,
    Logging logging,
    Database database) {

  /**
   * Where conversations, tickets, the outbox and users live: PostgreSQL when {@code url} is set (several nodes may
   * share it), else the embedded SQLite file under {@code dataDir}.
   *
   * @param poolSize connections this node keeps open, and the worker threads that use them
   */
  public record Database(String url, String user, String password, int poolSize) {
    public static Database embedded() {
      return new Database("", "", "", 8);
    }

    public boolean isPostgres() {
      return url.startsWith("jdbc:postgresql:");
    }
  }

  /** The metrics listener: its own host and port, never the public one ({@code port} 0 picks a free port). */
  public record Metrics(boolean enabled, String host, int port) {
    public static Metrics defaults() {
      return new Metrics(true, "127.0.0.1", 9464);
    }
  }

  /** @param json one JSON object per log line, else plain lines; @param accessLog one line per HTTP request */
  public record Logging(boolean json, boolean accessLog) {
    public static Logging defaults() {
      return new Logging(true, false);
    }
  }

  /** @param maxAgeMonths guidance last reviewed longer ago than this is listed for another review */
  public record Review(int maxAgeMonths) {
    public static Review defaults() {
      return new Review(12);
    }
  }

  /**
   * Conversation limits.
   *
   * @param maxMessagesPerMinute messages one sender gets bot answers to per minute; more are kept unanswered
   * @param webRequestsPerMinute web chat requests one network address may make per minute
   */
  public record Chat(int maxMessagesPerMinute, int webRequestsPerMinute) {
    public static Chat defaults() {
      return new Chat(12, 120);
    }
  }

  /**
   * In-process embeddings and hybrid ranking; off means lexical search only, for small machines.
   *
   * @param threads threads that embed passages during a reindex
   * @param recentQuestions how many recent questions' vectors are kept, so that a question asked again is not
   *     embedded again (0: none; a thread still reuses the vector of the text it embedded last)
   * @param statuteExamples {@code search.statuteExamples}: questions labelled with the articles advisers cited,
   *     which statute search learns from (see {@code StatuteExamples}); none when not configured
   */
  public record Semantic(boolean enabled, int threads, int recentQuestions, java.util.Optional<Path> statuteExamples) {
    public Semantic {
      if (threads < 1) {
        throw new IllegalArgumentException("search.semantic.threads must be at least 1: " + threads);
      }
      if (recentQuestions < 0) {
        throw new IllegalArgumentException("search.semantic.recentQuestions must not be negative: " + recentQuestions);
      }
    }
  }

  /**
   * Where the HTTP server listens. @param trustedProxies reverse proxies (addresses or ranges) whose
   * {@code X-Forwarded-For} names the client for the limits by address; empty = the direct peer is the client
   */
  public record Http(String host, int port, List<String> trustedProxies) {
    public Http {
      trustedProxies = List.copyOf(trustedProxies);
    }

    public Http(String host, int port) {
      this(host, port, List.of());
    }
  }

  /** Input limits enforced at the edge. */
  public record Limits(int maxQuestionChars, int maxBodyBytes, int maxSearchResults) {
    public static Limits defaults() {
      return new Limits(500, 16 * 1024, 50);
    }
  }

  public Path indexDir() {
    return dataDir.resolve("index");
  }

  public Path embeddingCacheFile() {
    return dataDir.resolve("embeddings.db");
  }

  public Path databaseFile() {
    return dataDir.resolve("legal-koi.db");
  }
}
