package cn.legalkoi.config;

import cn.legalkoi.answer.DecisionThresholds;
import cn.legalkoi.answer.IntentThresholds;
import cn.legalkoi.knowledge.Utf8Files;
import cn.legalkoi.search.HybridFusion;
import cn.legalkoi.search.RankingWeights;
import cn.legalkoi.search.StatuteRanking;
import cn.legalkoi.tickets.SlaSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON config file into typed records. Keys the file leaves out take working defaults; secrets may
 * come from environment variables instead (listed in the README). Relative paths resolve against the working
 * directory.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("config", "application.json");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Loads the file; the default file may be missing (all defaults), any other file must exist. */
  public AppConfig load(Path file, boolean mustExist) throws IOException {
    JsonObject json = new JsonObject();
    if (Files.isRegularFile(file)) {
      try {
        json = new JsonObject(Utf8Files.read(file));
      } catch (DecodeException e) {
        throw new IllegalArgumentException("config file " + file + " is not valid JSON: " + e.getMessage(), e);
      }
    } else if (mustExist) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    }
    return fromJson(json);
  }

  public AppConfig fromJson(JsonObject json) {
    JsonObject http = json.getJsonObject("http", new JsonObject());
    int port = http.getInteger("port", 8080);
    String host = http.getString("host", "127.0.0.1");
    JsonObject kb = json.getJsonObject("knowledgeBase", new JsonObject());
    List<Path> kbDirs = kb.getJsonArray("dirs", new JsonArray().add("knowledge-base")).stream()
        .map(d -> Path.of(String.valueOf(d))).toList();
    JsonObject search = json.getJsonObject("search", new JsonObject());
    JsonObject admin = json.getJsonObject("admin", new JsonObject());
    String bootstrap = env.getOrDefault("LEGALKOI_ADMIN_PASSWORD", admin.getString("bootstrapPassword", ""));
    return new AppConfig(
        new AppConfig.Http(host, port, http.getJsonArray("trustedProxies", new JsonArray()).stream()
            .map(String::valueOf).toList()),
        Path.of(json.getString("dataDir", "data")),
        json.getString("publicBaseUrl", "http://" + host + ":" + port),
        kbDirs,
        Path.of(search.getString("synonymsFile", "config/synonyms.txt")),
        bootstrap,
        search.getDouble("maxIndexDropShare", 0.2),
        ranking(search.getJsonObject("ranking", new JsonObject())),
        thresholds(search.getJsonObject("decision", new JsonObject()),
            search.getJsonObject("semantic", new JsonObject()).getBoolean("enabled", true)),
        limits(json.getJsonObject("limits", new JsonObject())),
        semantic(search.getJsonObject("semantic", new JsonObject()), search.getString("statuteExamples", "")),
        channels(json.getJsonObject("channels", new JsonObject())),
        sla(json.getJsonObject("sla", new JsonObject())).promise(),
        chat(json.getJsonObject("chat", new JsonObject())),
        sla(json.getJsonObject("sla", new JsonObject())),
        cn.legalkoi.tickets.TicketsSettings.fromJson(json.getJsonArray("departments"),
            json.getJsonObject("tickets", new JsonObject())),
        new AppConfig.Review(json.getJsonObject("review", new JsonObject())
            .getInteger("maxAgeMonths", AppConfig.Review.defaults().maxAgeMonths())),
        cn.legalkoi.alerts.AlertSettings.fromJson(json.getJsonObject("alerts", new JsonObject())),
        cn.legalkoi.datacare.DataCareSettings.fromJson(json),
        metrics(json.getJsonObject("metrics", new JsonObject())),
        logging(json.getJsonObject("logging", new JsonObject())),
        database(json.getJsonObject("database", new JsonObject())));
  }

  private AppConfig.Database database(JsonObject d) {
    AppConfig.Database e = AppConfig.Database.embedded();
    String url = d.getString("url", e.url());
    if (!url.isEmpty() && !url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/NAME)"
          + " or left out for the embedded SQLite file");
    }
    int poolSize = d.getInteger("poolSize", e.poolSize());
    if (poolSize < 1 || poolSize > 200) {
      throw new IllegalArgumentException("database.poolSize must be between 1 and 200, not " + poolSize);
    }
    return new AppConfig.Database(url, d.getString("user", e.user()),
        secret(d, "password", "LEGALKOI_DATABASE_PASSWORD"), poolSize);
  }

  private static RankingWeights ranking(JsonObject r) {
    RankingWeights d = RankingWeights.defaults();
    return new RankingWeights(
        r.getFloat("bigrams", d.bigrams()), r.getFloat("words", d.words()), r.getFloat("title", d.title()),
        r.getFloat("questions", d.questions()), r.getFloat("body", d.body()), r.getFloat("context", d.context()),
        r.getFloat("synonym", d.synonym()), r.getFloat("namedLaw", d.namedLaw()),
        r.getFloat("citedArticle", d.citedArticle()), r.getFloat("lexicalShare", d.lexicalShare()),
        statutes(r.getJsonObject("statutes", new JsonObject()), StatuteRanking.defaults()));
  }

  /** Statute ranking from {@code search.ranking.statutes}; keys left out keep those of {@code d}. */
  public static StatuteRanking statutes(JsonObject s, StatuteRanking d) {
    return new StatuteRanking(s.getInteger("candidates", d.candidates()),
        s.getFloat("lexicalShare", d.lexicalShare()),
        HybridFusion.Method.valueOf(s.getString("fusion", d.fusion().name())),
        s.getBoolean("stripFiller", d.stripFiller()), s.getInteger("maxBigrams", d.maxBigrams()),
        s.getInteger("maxWords", d.maxWords()), s.getFloat("unigrams", d.unigrams()),
        s.getInteger("maxUnigrams", d.maxUnigrams()), s.getFloat("examples", d.examples()),
        s.getInteger("exampleNeighbours", d.exampleNeighbours()),
        s.getFloat("exampleSimilarity", d.exampleSimilarity()));
  }

  private static DecisionThresholds thresholds(JsonObject t, boolean semantic) {
    DecisionThresholds d = semantic ? DecisionThresholds.defaults() : DecisionThresholds.lexicalDefaults();
    JsonObject i = t.getJsonObject("intent", new JsonObject());
    IntentThresholds di = d.intent();
    IntentThresholds intent = new IntentThresholds(i.getDouble("escalate", di.escalate()),
        i.getDouble("chatter", di.chatter()), i.getDouble("outside", di.outside()), i.getDouble("legal", di.legal()));
    return new DecisionThresholds(intent, d.answerLine(), t.getDouble("clarifyCoverage", d.clarifyCoverage()),
        t.getDouble("clarifyRatio", d.clarifyRatio()), t.getDouble("maxUnknownShare", d.maxUnknownShare()));
  }

  private static AppConfig.Chat chat(JsonObject c) {
    AppConfig.Chat d = AppConfig.Chat.defaults();
    return new AppConfig.Chat(c.getInteger("maxMessagesPerMinute", d.maxMessagesPerMinute()),
        c.getInteger("webRequestsPerMinute", d.webRequestsPerMinute()));
  }

  /** The {@code sla} section as typed settings: working hours, time zone, calendar file and deadlines. */
  public static SlaSettings sla(JsonObject sla) {
    return SlaSettings.fromJson(sla);
  }

  private static AppConfig.Metrics metrics(JsonObject m) {
    AppConfig.Metrics d = AppConfig.Metrics.defaults();
    return new AppConfig.Metrics(m.getBoolean("enabled", d.enabled()), m.getString("host", d.host()),
        m.getInteger("port", d.port()));
  }

  private AppConfig.Logging logging(JsonObject l) {
    AppConfig.Logging d = AppConfig.Logging.defaults();
    boolean json = !"false".equalsIgnoreCase(env.getOrDefault("LEGALKOI_LOG_JSON", String.valueOf(d.json())));
    return new AppConfig.Logging(l.getBoolean("json", json), l.getBoolean("accessLog", d.accessLog()));
  }

  private static AppConfig.Semantic semantic(JsonObject s, String statuteExamples) {
    return new AppConfig.Semantic(s.getBoolean("enabled", true), s.getInteger("threads", 2),
        s.getInteger("recentQuestions", cn.legalkoi.semantic.Embedder.RECENT_QUESTIONS),
        statuteExamples.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(statuteExamples)));
  }

  private static AppConfig.Limits limits(JsonObject l) {
    AppConfig.Limits d = AppConfig.Limits.defaults();
    return new AppConfig.Limits(l.getInteger("maxQuestionChars", d.maxQuestionChars()),
        l.getInteger("maxBodyBytes", d.maxBodyBytes()), l.getInteger("maxSearchResults", d.maxSearchResults()));
  }

  private ChannelsConfig channels(JsonObject c) {
    JsonObject w = c.getJsonObject("wecom", new JsonObject());
    JsonObject d = c.getJsonObject("dingtalk", new JsonObject());
    JsonObject f = c.getJsonObject("feishu", new JsonObject());
    return new ChannelsConfig(
        new ChannelsConfig.WeCom(secret(w, "token", "LEGALKOI_WECOM_TOKEN"),
            secret(w, "encodingAesKey", "LEGALKOI_WECOM_AES_KEY"), w.getString("corpId", ""),
            w.getInteger("agentId", 0), secret(w, "secret", "LEGALKOI_WECOM_SECRET"),
            w.getString("apiBase", "https://qyapi.weixin.qq.com"),
            w.getInteger("passiveReplyMillis", ChannelsConfig.WeCom.DEFAULT_PASSIVE_REPLY_MILLIS)),
        new ChannelsConfig.DingTalk(d.getString("mode", ChannelsConfig.DingTalk.STREAM), d.getString("appKey", ""),
            secret(d, "appSecret", "LEGALKOI_DINGTALK_APP_SECRET"), d.getString("robotCode", ""),
            d.getString("apiBase", "https://api.dingtalk.com"),
            d.getJsonArray("sessionWebhookHosts", new JsonArray().add("oapi.dingtalk.com").add("api.dingtalk.com"))
                .stream().map(String::valueOf).toList()),
        new ChannelsConfig.Feishu(f.getString("appId", ""), secret(f, "appSecret", "LEGALKOI_FEISHU_APP_SECRET"),
            secret(f, "verificationToken", "LEGALKOI_FEISHU_VERIFICATION_TOKEN"),
            secret(f, "encryptKey", "LEGALKOI_FEISHU_ENCRYPT_KEY"), f.getString("apiBase", "https://open.feishu.cn")));
  }

  private String secret(JsonObject o, String key, String envName) {
    String fromEnv = env.get(envName);
    return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : o.getString(key, "");
  }
}
