package cn.legalkoi.gaps;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admins' unmet-needs and stale-guidance views over real HTTP, against the real service and SQLite file, with
 * the questions sent through the real web chat and answered by the real answer decision (lexical mode).
 */
class UnmetApiTest {
  static final String PATENT = "我的专利被别人抄袭了怎么办";
  static final String PATENT_WITH_PHONE = "别人抄袭了我的专利怎么维权？我电话13812345678";
  static final String DIVORCE = "离婚以后房产怎么分割";
  static final String AMBIGUOUS = "第一次被罚款能分期吗";
  static final String RATED_BADLY = "员工没签书面劳动合同，老板要付二倍工资吗";
  static final String RATED_WELL = "第一次违规能不能不罚款";

  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService service;
  static String adviser;
  static List<String> replyKinds = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    Path kb = Fixtures.copyKnowledgeBase(dir);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (Stream<Path> files = Files.walk(kb.resolve("guidance"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".md")).toList()) {
        boolean old = file.getFileName().toString().equals("first-offence.md");
        setReviewed(file, old ? today.minusYears(3) : today.minusMonths(1));
      }
    }
    service = TestService.start(vertx, kb, dir.resolve("data"));
    String admin = service.adminToken();
    HttpResponse<Buffer> created = await(service.client.post("/api/v1/admin/users")
        .putHeader("Authorization", "Bearer " + admin).sendJsonObject(new JsonObject().put("username", "adviser.zhao")
            .put("password", "adviser-pass-1").put("role", "adviser")
            .put("departments", new JsonArray().add("综合执法"))));
    assertEquals(201, created.statusCode());
    adviser = service.login("adviser.zhao", "adviser-pass-1");

    replyKinds.add(new Owner().ask(PATENT));
    replyKinds.add(new Owner().ask(PATENT_WITH_PHONE));
    replyKinds.add(new Owner().ask(DIVORCE));
    replyKinds.add(new Owner().ask(AMBIGUOUS));
    Owner unhappy = new Owner();
    replyKinds.add(unhappy.ask(RATED_BADLY));
    replyKinds.add(unhappy.ask("不满意"));
    Owner happy = new Owner();
    replyKinds.add(happy.ask(RATED_WELL));
    replyKinds.add(happy.ask("满意"));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private static void setReviewed(Path file, LocalDate reviewed) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8).replaceFirst("(?m)^reviewed: .*$", "reviewed: " + reviewed);
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** One browser in the web chat: its cookie is its anonymous session. */
  private static final class Owner {
    final WebClientSession client = WebClientSession.create(service.client);
    long seen;

    /** Sends a message and waits (the server holds the request) for the bot's reply; the reply's kind. */
    String ask(String text) throws Exception {
      HttpResponse<Buffer> sent = await(client.post("/api/v1/chat/messages").sendJsonObject(new JsonObject()
          .put("text", text)));
      assertEquals(202, sent.statusCode(), sent.bodyAsString());
      for (int round = 0; round < 10; round++) {
        HttpResponse<Buffer> r = await(client.get("/api/v1/chat/messages?wait=true&after=" + seen).send());
        JsonArray lines = r.bodyAsJsonObject().getJsonArray("messages");
        for (int i = 0; i < lines.size(); i++) {
          JsonObject line = lines.getJsonObject(i);
          seen = Math.max(seen, line.getLong("id"));
          if ("bot".equals(line.getString("author"))) {
            return line.getString("kind");
          }
        }
      }
      throw new AssertionError("no reply to " + text);
    }
  }

  private static HttpResponse<Buffer> get(String uri, String token) throws Exception {
    var request = service.client.get(uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(request.send());
  }

  private static JsonObject groupWith(JsonArray groups, String example) {
    for (int i = 0; i < groups.size(); i++) {
      if (groups.getJsonObject(i).getJsonArray("examples").contains(example)) {
        return groups.getJsonObject(i);
      }
    }
    throw new AssertionError("no group shows " + example + ": " + groups.encodePrettily());
  }

  @Test
  @DisplayName("the chat replies the view is built from are the ones the questions were chosen for")
  void repliesAsExpected() {
    assertEquals(List.of("no_answer", "no_answer", "no_answer", "clarify", "answer", "rating", "answer", "rating"),
        replyKinds);
  }

  @Test
  @DisplayName("unanswered, clarified and 不满意 questions are grouped by meaning and counted; satisfied ones are absent")
  void groupsUnmetQuestions() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/admin/unmet", service.adminToken());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    JsonArray groups = body.getJsonArray("groups");
    assertEquals(5, body.getInteger("questions"), body.encodePrettily());
    assertEquals(4, groups.size(), body.encodePrettily());

    JsonObject patent = groupWith(groups, PATENT);
    assertEquals(2, patent.getInteger("count"));
    assertEquals(patent, groups.getJsonObject(0), "the largest group comes first");
    assertEquals(new JsonObject().put("no_answer", 2).put("clarify", 0).put("unsatisfied", 0),
        patent.getJsonObject("outcomes"));
    assertTrue(patent.getJsonArray("examples").contains("别人抄袭了我的专利怎么维权？我电话138****5678"),
        patent.encodePrettily());
    assertTrue(List.of(PATENT, "别人抄袭了我的专利怎么维权？我电话138****5678")
        .contains(patent.getString("representative")));
    assertTrue(patent.getString("firstSeen").compareTo(patent.getString("lastSeen")) < 0, patent.encode());

    JsonObject divorce = groupWith(groups, DIVORCE);
    assertNotEquals(patent, divorce, "an unrelated question is a group of its own");
    assertEquals(1, divorce.getInteger("count"));
    assertEquals(DIVORCE, divorce.getString("representative"));

    assertEquals(1, groupWith(groups, AMBIGUOUS).getJsonObject("outcomes").getInteger("clarify"));
    JsonObject unsatisfied = groupWith(groups, RATED_BADLY);
    assertEquals(1, unsatisfied.getJsonObject("outcomes").getInteger("unsatisfied"));
    assertEquals("double-wages", unsatisfied.getString("nearestDocId"));

    String text = r.bodyAsString("UTF-8");
    assertFalse(text.contains("13812345678"), "phone numbers are masked");
    assertFalse(text.contains(RATED_WELL), "a question answered and rated 满意 is not a gap");
    assertFalse(text.contains("\"满意\"") || text.contains("\"不满意\""), "ratings are not questions");
  }

  @Test
  @DisplayName("the time window is read from ?days=N, and a bad value gets 400")
  void window() throws Exception {
    String admin = service.adminToken();
    assertEquals(5, get("/api/v1/admin/unmet?days=1", admin).bodyAsJsonObject().getInteger("questions"));
    for (String bad : List.of("0", "-3", "abc", "100000")) {
      HttpResponse<Buffer> r = get("/api/v1/admin/unmet?days=" + bad, admin);
      assertEquals(400, r.statusCode(), bad);
      assertEquals("bad_request", r.bodyAsJsonObject().getString("error"));
    }
  }

  @Test
  @DisplayName("both views need a token (401) and the admin role (403 for an adviser)")
  void adminOnly() throws Exception {
    for (String uri : List.of("/api/v1/admin/unmet", "/api/v1/admin/stale-guidance")) {
      assertEquals(401, get(uri, null).statusCode(), uri);
      assertEquals(401, get(uri, "forged-token").statusCode(), uri);
      HttpResponse<Buffer> forbidden = get(uri, adviser);
      assertEquals(403, forbidden.statusCode(), uri);
      assertFalse(forbidden.bodyAsString("UTF-8").contains(PATENT), "nothing of the view leaks");
    }
  }

  @Test
  @DisplayName("guidance reviewed longer ago than 12 months is listed with its age; freshly reviewed guidance is not")
  void staleGuidance() throws Exception {
    HttpResponse<Buffer> r = get("/api/v1/admin/stale-guidance", service.adminToken());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(12, body.getInteger("maxAgeMonths"));
    JsonArray guidance = body.getJsonArray("guidance");
    assertEquals(1, guidance.size(), body.encodePrettily());
    JsonObject stale = guidance.getJsonObject(0);
    assertEquals("first-offence", stale.getString("id"));
    assertEquals("首次轻微违法可以不罚", stale.getString("title"));
    assertEquals(LocalDate.now(ZoneOffset.UTC).minusYears(3).toString(), stale.getString("reviewed"));
    assertEquals(36, stale.getInteger("ageMonths"));
  }
}
