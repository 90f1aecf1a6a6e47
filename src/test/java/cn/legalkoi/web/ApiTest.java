package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP contract through real HTTP against the real service on a fixture knowledge base. */
class ApiTest {
  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService service;

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private static HttpResponse<Buffer> get(String uri) throws Exception {
    return await(service.client.get(uri).send());
  }

  private static HttpResponse<Buffer> ask(Object body) throws Exception {
    return await(service.client.post("/api/v1/ask").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body instanceof JsonObject ? ((JsonObject) body).encode() : String.valueOf(body),
            "UTF-8")));
  }

  private static String search(String q) {
    return "/api/v1/search?q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8);
  }

  /** The docIds a search finds, all of them: the limit is above what the fixture index holds. */
  private static List<String> docIds(String q) throws Exception {
    HttpResponse<Buffer> r = get(search(q) + "&limit=50");
    assertEquals(200, r.statusCode(), r.bodyAsString("UTF-8"));
    return r.bodyAsJsonObject().getJsonArray("results").stream().map(o -> ((JsonObject) o).getString("docId")).toList();
  }

  private static void assertError(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString("UTF-8"));
    JsonObject body = r.bodyAsJsonObject();
    assertFalse(body.getString("error", "").isEmpty(), r.bodyAsString("UTF-8"));
    assertFalse(body.getString("message", "").isEmpty(), r.bodyAsString("UTF-8"));
  }

  @Test
  @DisplayName("/health reports UP with guidance documents plus statute files, and passages per article")
  void health() throws Exception {
    HttpResponse<Buffer> r = get("/health");
    assertEquals(200, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("UP", body.getString("status"));
    assertEquals(6, body.getJsonObject("index").getInteger("documents"));
    assertEquals(14, body.getJsonObject("index").getInteger("passages"));
    assertEquals("off", body.getJsonObject("index").getString("semantic"), "this service runs lexical only");
  }

  @Test
  @DisplayName("search returns results best first with the contract's fields")
  void searchShape() throws Exception {
    HttpResponse<Buffer> r = get(search("行政处罚法第三十三条") + "&limit=3");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").contains("application/json"));
    JsonArray results = r.bodyAsJsonObject().getJsonArray("results");
    assertTrue(results.size() <= 3 && results.size() > 0);
    JsonObject first = results.getJsonObject(0);
    assertEquals("行政处罚法#33", first.getString("docId"));
    assertEquals("statute", first.getString("kind"));
    assertEquals("《中华人民共和国行政处罚法》第三十三条", first.getString("citation"));
    for (String key : new String[] {"title", "score", "snippet"}) {
      assertTrue(first.containsKey(key), key);
    }
    JsonArray guidance = get(search("罚款分期") + "&kind=guidance").bodyAsJsonObject().getJsonArray("results");
    assertEquals("fine-instalments", guidance.getJsonObject(0).getString("docId"));
    assertTrue(guidance.stream().allMatch(o -> "guidance".equals(((JsonObject) o).getString("kind"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/search", "/api/v1/search?q=", "/api/v1/search?q=%20%20", "/api/v1/search?q=a&limit=0",
      "/api/v1/search?q=a&limit=abc", "/api/v1/search?q=a&limit=51", "/api/v1/search?q=a&kind=law"})
  @DisplayName("search rejects missing, blank and malformed parameters with 400 and a message")
  void searchBadInput(String uri) throws Exception {
    assertError(get(uri), 400);
  }

  @Test
  @DisplayName("an oversized query is a 400, not a slow search")
  void searchTooLong() throws Exception {
    assertError(get(search("罚".repeat(501))), 400);
    assertEquals(200, get(search("罚".repeat(500))).statusCode());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      罚款 AND (分期               | 罚款 AND 分期             | fine-instalments
      *:* 劳动合同                 | 劳动合同                  | double-wages
      '"罚款'                      | 罚款                      | fine-instalments
      罚款)                        | 罚款                      | fine-instalments
      title:罚款 OR body:[a TO z]  | title 罚款 OR body a TO z | fine-instalments
      """)
  @DisplayName("whatever a user types is text: query syntax finds what its characters find as plain words")
  void searchSyntaxIsText(String typed, String asWords, String first) throws Exception {
    List<String> found = docIds(typed);
    assertEquals(docIds(asWords), found);
    assertEquals(first, found.get(0), found.toString());
    assertTrue(found.size() < Fixtures.SEARCHABLE_PASSAGES, "not everything: " + found);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AND (", "*:*", "\\", "~!@#$%^&*()"})
  @DisplayName("query syntax alone is answered 200 with no results, never with everything or a 500")
  void searchSyntaxAloneFindsNothing(String q) throws Exception {
    assertEquals(List.of(), docIds(q));
  }

  @Test
  @DisplayName("a quoted phrase puts the passage that has it as written first, and drops none of the others")
  void searchQuotedPhrase() throws Exception {
    List<String> words = docIds("行为轻微");
    assertEquals("first-offence", words.get(0), words.toString());
    for (String quoted : new String[] {"\"行为轻微\"", "“行为轻微”"}) {
      List<String> found = docIds(quoted);
      assertEquals("行政处罚法#33", found.get(0), quoted + " " + found);
      assertEquals(Set.copyOf(words), Set.copyOf(found), quoted + " excludes nothing");
    }
  }

  @Test
  @DisplayName("ask answers a colloquial question from the right guidance, with its basis, link and disclaimer")
  void askAnswers() throws Exception {
    HttpResponse<Buffer> r = ask(new JsonObject().put("question", "第一次违规能不能不罚款"));
    assertEquals(200, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("answer", body.getString("kind"), body.encodePrettily());
    assertEquals("first-offence", body.getJsonArray("docIds").getString(0));
    assertTrue(body.getJsonArray("docIds").contains("行政处罚法#33"), "the cited article the index holds is listed");
    assertEquals(new JsonArray().add("《中华人民共和国行政处罚法》第三十三条"), body.getJsonArray("citations"));
    String text = body.getString("text");
    assertTrue(text.contains("https://koi.example.test/guidance/first-offence"), text);
    assertTrue(text.contains("法律依据：《行政处罚法》第三十三条"), text);
    assertTrue(text.contains("不构成正式法律意见"), text);
    assertTrue(text.contains("人工"), text);
    assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 2048);
  }

  @Test
  @DisplayName("ask treats greetings as small talk without citations, and requests for a person as escalation")
  void askOtherKinds() throws Exception {
    JsonObject hello = ask(new JsonObject().put("question", "你好")).bodyAsJsonObject();
    assertEquals("smalltalk", hello.getString("kind"));
    assertTrue(hello.getJsonArray("citations").isEmpty());
    assertFalse(hello.getString("text").contains("《"));
    JsonObject person = ask(new JsonObject().put("question", "转人工")).bodyAsJsonObject();
    assertEquals("escalate", person.getString("kind"));
    assertTrue(person.getString("text").startsWith("好的"), "a request for a person is simply granted");
    assertFalse(person.getString("text").contains("30分钟"),
        "no promised times before a ticket exists: " + person.getString("text"));
    JsonObject own = ask(new JsonObject().put("question", "我们公司被起诉了，下周开庭，账户也被冻结了")).bodyAsJsonObject();
    assertEquals("escalate", own.getString("kind"));
    assertTrue(own.getString("text").contains("需要顾问看了材料"), own.getString("text"));
    assertTrue(own.getJsonArray("citations").isEmpty());
  }

  @Test
  @DisplayName("ask with nothing the knowledge base covers says so honestly")
  void askNoAnswer() throws Exception {
    JsonObject body = ask(new JsonObject().put("question", "离婚以后房产怎么分割")).bodyAsJsonObject();
    assertEquals("no_answer", body.getString("kind"));
    assertTrue(body.getJsonArray("citations").isEmpty());
    assertTrue(body.getString("text").contains("人工"));
  }

  @Test
  @DisplayName("ask rejects bodies that are not a question with 400, and a huge body with 413")
  void askBadInput() throws Exception {
    assertError(ask(""), 400);
    assertError(ask("{not json"), 400);
    assertError(ask("[1,2]"), 400);
    assertError(ask(new JsonObject()), 400);
    assertError(ask(new JsonObject().put("question", 42)), 400);
    assertError(ask(new JsonObject().put("question", "  ")), 400);
    assertError(ask(new JsonObject().put("question", "问".repeat(501))), 400);
    assertError(ask(new JsonObject().put("question", "问".repeat(20_000))), 413);
  }

  @Test
  @DisplayName("the guidance page is a mobile HTML page; unknown ids get a friendly 404")
  void guidancePage() throws Exception {
    HttpResponse<Buffer> r = get("/guidance/double-wages");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"));
    String html = r.bodyAsString("UTF-8");
    assertTrue(html.contains("name=\"viewport\""));
    assertTrue(html.contains("没签书面劳动合同要付二倍工资"));
    assertTrue(html.contains("用工超过一个月不满一年"));
    assertTrue(html.contains("不构成正式法律意见"));
    assertEquals(404, get("/guidance/no-such-guidance").statusCode());
    assertEquals(404, get("/guidance/..%2F..%2Fetc").statusCode());
  }

  @Test
  @DisplayName("unknown paths and switched-off channel webhooks answer 404 JSON")
  void notFound() throws Exception {
    assertError(get("/api/v1/nothing"), 404);
    assertError(await(service.client.post("/webhooks/wecom").send()), 404);
    assertError(await(service.client.post("/webhooks/dingtalk").send()), 404);
    assertError(await(service.client.post("/webhooks/feishu").send()), 404);
  }
}
