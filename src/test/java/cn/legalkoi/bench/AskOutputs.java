package cn.legalkoi.bench;

import cn.legalkoi.LegalKoi;
import cn.legalkoi.answer.AskReply;
import cn.legalkoi.answer.Answers;
import cn.legalkoi.config.AppConfig;
import cn.legalkoi.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every labelled question's full answer (kind, reason, documents, citations, text) on the shipped knowledge, one
 * line each, to compare two builds: a speed-up must leave this file unchanged.
 *
 * <p>Usage: {@code AskOutputs lexical|semantic output-file}, with the classpath of {@code bench/wecom.sh}.
 */
public final class AskOutputs {
  public static void main(String[] args) throws Exception {
    boolean semantic = args[0].equals("semantic");
    Path work = Files.createTempDirectory("legal-koi-ask-outputs");
    JsonObject json = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("metrics", new JsonObject().put("port", 0))
        .put("dataDir", work.resolve("data").toString())
        .put("publicBaseUrl", "https://koi.example.test")
        .put("knowledgeBase", new JsonObject().put("dirs", new JsonArray().add(Path.of("knowledge-base")
            .toAbsolutePath().toString())))
        .put("admin", new JsonObject().put("bootstrapPassword", "bench-password"))
        .put("search", new JsonObject().put("semantic", new JsonObject().put("enabled", semantic)));
    AppConfig config = new ConfigLoader(Map.of()).fromJson(json);
    Vertx vertx = Vertx.vertx();
    LegalKoi app = WeComBenchmark.await(LegalKoi.start(vertx, config), 1800);
    if (app.startupJob().isPresent()) {
      WeComBenchmark.await(app.startupJob().get().finished(), 1800);
    }
    Answers answers = new Answers(app.index(), LegalKoi.parts(vertx, config).answers());
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("src/main/resources/labelled/tune.tsv"), StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (cols.length < 4) {
        continue;
      }
      AskReply r = WeComBenchmark.await(answers.ask(cols[3]), 60);
      out.add(cols[3] + "\t" + r.kind() + "\t" + r.reason() + "\t" + r.docIds() + "\t" + r.citations() + "\t"
          + r.text().replace("\n", "\\n"));
    }
    Files.write(Path.of(args[1]), out, StandardCharsets.UTF_8);
    System.out.println(out.size() + " answers written to " + args[1]);
    WeComBenchmark.await(app.stop(), 60);
    WeComBenchmark.await(vertx.close(), 60);
    System.exit(0);
  }
}
