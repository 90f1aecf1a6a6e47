package cn.legalkoi.proposals;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.knowledge.GuidanceDocument;
import cn.legalkoi.knowledge.GuidanceParser;
import cn.legalkoi.search.ReindexJob;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The knowledge loop over real HTTP against the real service: an owner asks for a person in the web chat, an adviser
 * resolves the ticket with a proposed answer, an admin reviews it and publishes it as guidance, and owners' searches
 * find it once the index is rebuilt.
 */
class ProposalLoopTest {
  static final String ADVISER = "zhang.san";
  static final String ADVISER_PASSWORD = "adviser-password-1";

  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  String admin;
  String adviser;
  int owners;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
    admin = service.adminToken();
    HttpResponse<Buffer> created = call("POST", "/api/v1/admin/users", admin, new JsonObject()
        .put("username", ADVISER).put("password", ADVISER_PASSWORD).put("role", "adviser")
        .put("departments", new JsonArray().add("综合执法")));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    adviser = service.login(ADVISER, ADVISER_PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  private HttpResponse<Buffer> call(String method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(HttpMethod.valueOf(method), path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** A new owner asks for a person in the web chat; returns the ticket that opens. */
  private long ownerAsksForAPerson() throws Exception {
    owners++;
    WebClientSession browser = WebClientSession.create(service.client);
    HttpResponse<Buffer> sent = await(browser.post("/api/v1/chat/messages")
        .sendJsonObject(new JsonObject().put("id", "m-0000000" + owners).put("text", "我要找人工")));
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    int expected = owners;
    assertTrue(TestService.eventually(vertx, () -> call("GET", "/api/v1/tickets", admin, null).bodyAsJsonObject()
        .getJsonArray("tickets").size() == expected), "a ticket opens for owner " + owners);
    return owners;
  }

  /** The adviser resolves a new ticket with a proposal; returns the proposal's id. */
  private long proposalFromNewTicket(String title, String answer) throws Exception {
    long ticket = ownerAsksForAPerson();
    HttpResponse<Buffer> resolved = call("POST", "/api/v1/tickets/" + ticket + "/resolve", adviser, new JsonObject()
        .put("proposal", new JsonObject().put("title", title).put("answer", answer)));
    assertEquals(200, resolved.statusCode(), resolved.bodyAsString());
    JsonArray proposals = proposals("?state=proposed");
    return proposals.getJsonObject(proposals.size() - 1).getLong("id");
  }

  private JsonArray proposals(String query) throws Exception {
    HttpResponse<Buffer> listed = call("GET", "/api/v1/admin/proposals" + query, admin, null);
    assertEquals(200, listed.statusCode(), listed.bodyAsString());
    return listed.bodyAsJsonObject().getJsonArray("proposals");
  }

  static JsonObject publication(String docId) {
    return new JsonObject()
        .put("docId", docId)
        .put("title", "客户拖欠货款，企业可以怎样追讨")
        .put("category", "合同与交易")
        .put("questions", new JsonArray().add("客户一直拖欠货款不给怎么办").add("对方欠钱不还能起诉吗")
            .add("货款被拖了半年怎么要回来"))
        .put("basis", new JsonArray().add("《中华人民共和国民法典》第五百七十七条"))
        .put("answer", "对方不按合同付款的，应当承担继续履行、赔偿损失等违约责任，可以先书面催告，再协商、调解或起诉。")
        .put("detail", "保留合同、送货单、对账单和催款记录。\n\n### 诉讼时效\n一般为三年，从知道权利受到损害之日起计算。")
        .put("steps", "1. 发书面催款函\n2. 协商或申请调解\n3. 向人民法院起诉")
        .put("effective", "2021-01-01");
  }

  private HttpResponse<Buffer> publish(long proposal, JsonObject body) throws Exception {
    return call("POST", "/api/v1/admin/proposals/" + proposal + "/publish", admin, body);
  }

  private List<Path> knowledgeFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(service.knowledgeBase)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private List<String> searchGuidance(String q) throws Exception {
    HttpResponse<Buffer> found = call("GET", "/api/v1/search?kind=guidance&q=" + URLEncoder.encode(q,
        StandardCharsets.UTF_8), null, null);
    assertEquals(200, found.statusCode(), found.bodyAsString());
    return found.bodyAsJsonObject().getJsonArray("results").stream()
        .map(r -> ((JsonObject) r).getString("docId")).toList();
  }

  @Test
  @DisplayName("an adviser's proposal is listed, published with the admin's edits, written with its author and ticket,"
      + " and found by search once the reindex is done")
  void proposalBecomesSearchableGuidance() throws Exception {
    assertFalse(searchGuidance("客户拖欠货款").contains("unpaid-goods"), "nothing about it before");
    long proposal = proposalFromNewTicket("客户欠款怎么办", "先催告，再协商或起诉。");

    JsonObject listed = proposals("?state=proposed").getJsonObject(0);
    assertEquals(proposal, listed.getLong("id"));
    assertEquals(1L, listed.getLong("ticketId"));
    assertEquals(ADVISER, listed.getString("author"));
    assertEquals("客户欠款怎么办", listed.getString("title"));
    assertEquals("先催告，再协商或起诉。", listed.getString("answer"));
    assertEquals("proposed", listed.getString("state"));
    assertTrue(listed.getString("createdAt").endsWith("+08:00"), listed.encode());
    assertNull(listed.getString("docId"));
    assertNull(listed.getString("reviewedBy"));

    HttpResponse<Buffer> published = publish(proposal, publication("unpaid-goods"));
    assertEquals(201, published.statusCode(), published.bodyAsString());
    JsonObject result = published.bodyAsJsonObject();
    assertEquals("unpaid-goods", result.getString("docId"));
    Path file = service.knowledgeBase.resolve("guidance/proposals/unpaid-goods.md");
    assertEquals(file.toString(), result.getString("path"));

    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.contains("\nauthor: \"zhang.san\"\n"), text);
    assertTrue(text.contains("\nticket: 1\n"), text);
    assertTrue(text.contains("\npublishedBy: \"admin\"\n"), text);
    assertTrue(text.contains("\nreviewed: " + LocalDate.now(ZoneId.of("Asia/Shanghai")) + "\n"), text);
    GuidanceDocument doc = new GuidanceParser().parse(text, file.toString(), "unpaid-goods");
    assertEquals("客户拖欠货款，企业可以怎样追讨", doc.title(), "the admin's edit, not the adviser's title");
    assertEquals(List.of("《中华人民共和国民法典》第五百七十七条"), doc.basis());
    assertTrue(GuidanceParser.missingSections(doc).isEmpty(), doc.sections().keySet().toString());
    assertTrue(doc.sections().get(GuidanceDocument.DETAIL).contains("### 诉讼时效"));

    ReindexJob job = await(service.app.index().job(result.getString("jobId")).orElseThrow().finished());
    assertEquals(ReindexJob.State.DONE, job.state(), String.valueOf(job.error()));
    assertTrue(job.problems().isEmpty(), job.problems().toString());
    assertEquals("unpaid-goods", searchGuidance("客户拖欠货款不给怎么办").get(0));
    assertEquals(200, call("GET", "/guidance/unpaid-goods", null, null).statusCode());

    JsonObject settled = proposals("").getJsonObject(0);
    assertEquals("published", settled.getString("state"));
    assertEquals("unpaid-goods", settled.getString("docId"));
    assertEquals("admin", settled.getString("reviewedBy"));
    assertTrue(proposals("?state=proposed").isEmpty());

    JsonArray history = call("GET", "/api/v1/tickets/1", admin, null).bodyAsJsonObject().getJsonArray("history");
    JsonObject entry = history.stream().map(JsonObject.class::cast)
        .filter(h -> "guidance_published".equals(h.getString("action"))).findFirst().orElseThrow();
    assertEquals("admin", entry.getString("actor"));
    assertEquals("unpaid-goods", entry.getJsonObject("detail").getString("docId"));
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"));
        var st = c.prepareStatement("SELECT actor, target FROM audit_log WHERE action = 'guidance_published'");
        var rs = st.executeQuery()) {
      assertTrue(rs.next(), "the publish is in the audit log");
      assertEquals("admin", rs.getString(1));
      assertEquals("ticket:1", rs.getString(2));
      assertFalse(rs.next());
    }

    HttpResponse<Buffer> again = publish(proposal, publication("unpaid-goods-2"));
    assertEquals(409, again.statusCode(), again.bodyAsString());
    assertFalse(Files.exists(service.knowledgeBase.resolve("guidance/proposals/unpaid-goods-2.md")));
  }

  @Test
  @DisplayName("a docId that could name another place is refused with 400, and no file is written anywhere")
  void pathTraversalIsRefused() throws Exception {
    long proposal = proposalFromNewTicket("客户欠款怎么办", "先催告，再协商或起诉。");
    List<Path> before = knowledgeFiles();
    for (String docId : List.of("../x", "a/b", "..", ".", "/etc/passwd", "../../data/evil", "..\\x", "a\\b",
        "x.md", "%2e%2e", "指引", "Unpaid", "a--b", "-a", "a-", "", " a", "a\u0000b", "ａｂｃ", "x".repeat(81))) {
      HttpResponse<Buffer> refused = publish(proposal, publication(docId));
      assertEquals(400, refused.statusCode(), docId + ": " + refused.bodyAsString());
      assertEquals("bad_request", refused.bodyAsJsonObject().getString("error"));
    }
    assertEquals(400, publish(proposal, publication("x").put("docId", 42)).statusCode());
    assertEquals(before, knowledgeFiles(), "no file was written");
    assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("data/evil.md")));
    assertEquals("proposed", proposals("").getJsonObject(0).getString("state"));
  }

  @Test
  @DisplayName("guidance without a legal basis, with too few questions or a bad date is refused, and nothing is"
      + " written")
  void incompleteGuidanceIsRefused() throws Exception {
    long proposal = proposalFromNewTicket("客户欠款怎么办", "先催告，再协商或起诉。");
    List<Path> before = knowledgeFiles();
    List<JsonObject> bad = List.of(
        publication("a1").put("basis", new JsonArray()),
        publication("a2").copy().put("basis", (Object) null),
        publication("a3").put("basis", new JsonArray().add("民法典相关规定")),
        publication("a4").put("basis", new JsonArray().add("《民法典》")),
        publication("a5").put("questions", new JsonArray().add("一").add("二").add("一")),
        publication("a6").put("effective", "2021-02-30"),
        publication("a7").put("effective", "去年"),
        publication("a8").put("title", "标题\n---\nid: other"),
        publication("a9").put("answer", "短答\n## 法律依据\n假的依据"),
        publication("a10").put("detail", ""),
        publication("a11").put("category", "分".repeat(31)),
        publication("a12").put("answer", "答".repeat(4001)));
    for (JsonObject body : bad) {
      HttpResponse<Buffer> refused = publish(proposal, body);
      assertEquals(400, refused.statusCode(), body.getString("docId") + ": " + refused.bodyAsString());
    }
    HttpResponse<Buffer> notJson = await(service.client.post("/api/v1/admin/proposals/" + proposal + "/publish")
        .putHeader("Authorization", "Bearer " + admin).sendBuffer(Buffer.buffer("{not json")));
    assertEquals(400, notJson.statusCode());
    assertEquals(before, knowledgeFiles());
    assertEquals("proposed", proposals("").getJsonObject(0).getString("state"));
  }

  @Test
  @DisplayName("a docId already used by a guidance file or by another publish is refused with 409 and overwrites"
      + " nothing")
  void duplicateDocIdIsRefused() throws Exception {
    long first = proposalFromNewTicket("客户欠款怎么办", "先催告，再协商或起诉。");
    long second = proposalFromNewTicket("欠款能起诉吗", "可以起诉。");
    Path existing = service.knowledgeBase.resolve("guidance/penalty/first-offence.md");
    byte[] original = Files.readAllBytes(existing);
    HttpResponse<Buffer> taken = publish(first, publication("first-offence"));
    assertEquals(409, taken.statusCode(), taken.bodyAsString());
    assertTrue(Files.readString(existing, StandardCharsets.UTF_8).equals(new String(original, StandardCharsets.UTF_8)));
    assertFalse(Files.exists(service.knowledgeBase.resolve("guidance/proposals/first-offence.md")));

    assertEquals(201, publish(first, publication("unpaid-goods")).statusCode());
    Path written = service.knowledgeBase.resolve("guidance/proposals/unpaid-goods.md");
    String firstText = Files.readString(written, StandardCharsets.UTF_8);
    HttpResponse<Buffer> twice = publish(second, publication("unpaid-goods").put("title", "另一篇"));
    assertEquals(409, twice.statusCode(), twice.bodyAsString());
    assertEquals(firstText, Files.readString(written, StandardCharsets.UTF_8));
    assertEquals("proposed", proposals("?state=proposed").getJsonObject(0).getString("state"));
    assertEquals(second, proposals("?state=proposed").getJsonObject(0).getLong("id"));
  }

  @Test
  @DisplayName("only admins review proposals: no token is 401, an adviser 403, an unknown proposal 404, and a"
      + " rejected proposal cannot be published")
  void rolesAndRejection() throws Exception {
    long proposal = proposalFromNewTicket("客户欠款怎么办", "先催告，再协商或起诉。");
    JsonObject reason = new JsonObject().put("reason", "缺少法律依据，请补充后重新提交");
    assertEquals(401, call("GET", "/api/v1/admin/proposals", null, null).statusCode());
    assertEquals(401, call("POST", "/api/v1/admin/proposals/" + proposal + "/publish", null,
        publication("unpaid-goods")).statusCode());
    assertEquals(401, call("POST", "/api/v1/admin/proposals/" + proposal + "/reject", null, reason).statusCode());
    assertEquals(403, call("GET", "/api/v1/admin/proposals", adviser, null).statusCode());
    assertEquals(403, call("POST", "/api/v1/admin/proposals/" + proposal + "/publish", adviser,
        publication("unpaid-goods")).statusCode());
    assertEquals(403, call("POST", "/api/v1/admin/proposals/" + proposal + "/reject", adviser, reason).statusCode());
    assertEquals(404, publish(999, publication("unpaid-goods")).statusCode());
    assertEquals(404, call("POST", "/api/v1/admin/proposals/999/reject", admin, reason).statusCode());
    assertEquals(404, call("POST", "/api/v1/admin/proposals/abc/reject", admin, reason).statusCode());
    assertEquals(400, call("GET", "/api/v1/admin/proposals?state=maybe", admin, null).statusCode());
    assertEquals(400, call("POST", "/api/v1/admin/proposals/" + proposal + "/reject", admin,
        new JsonObject().put("reason", " ")).statusCode());
    assertFalse(Files.exists(service.knowledgeBase.resolve("guidance/proposals")), "nothing was published");

    HttpResponse<Buffer> rejected = call("POST", "/api/v1/admin/proposals/" + proposal + "/reject", admin, reason);
    assertEquals(200, rejected.statusCode(), rejected.bodyAsString());
    assertEquals("rejected", rejected.bodyAsJsonObject().getString("state"));
    assertEquals("admin", rejected.bodyAsJsonObject().getString("reviewedBy"));
    assertEquals(409, call("POST", "/api/v1/admin/proposals/" + proposal + "/reject", admin, reason).statusCode());
    assertEquals(409, publish(proposal, publication("unpaid-goods")).statusCode());
    assertFalse(Files.exists(service.knowledgeBase.resolve("guidance/proposals/unpaid-goods.md")));
    assertEquals(1, proposals("?state=rejected").size());

    JsonObject entry = call("GET", "/api/v1/tickets/1", adviser, null).bodyAsJsonObject().getJsonArray("history")
        .stream().map(JsonObject.class::cast).filter(h -> "guidance_rejected".equals(h.getString("action")))
        .findFirst().orElseThrow();
    assertEquals("admin", entry.getString("actor"));
    assertEquals("缺少法律依据，请补充后重新提交", entry.getJsonObject("detail").getString("reason"),
        "the adviser sees why");
  }
}
