package cn.legalkoi.store;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.PostgresCluster;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on PostgreSQL, driven only through its API the way owners, advisers and admins use it, so that every
 * module's SQL runs on that store: departments, users, the web chat, tickets and their replies, proposals published
 * as guidance, the 315 report, unmet questions, and an owner's export and erasure.
 */
class PostgresServiceTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  String admin;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(dir), dir.resolve("data"))
        .put("database", PostgresCluster.shared().newDatabaseConfig());
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
    admin = service.adminToken();
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

  private JsonObject ok(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    return response.body() == null || response.body().length() == 0 ? new JsonObject()
        : response.bodyAsJsonObject();
  }

  @Test
  @DisplayName("on PostgreSQL: an owner's question is answered, a request for a person becomes a ticket, the adviser's"
      + " reply reaches the owner, the resolution's proposal is published as guidance, and the admins' views,"
      + " departments and an owner's export and erasure all work")
  void wholeServiceOnPostgres() throws Exception {
    // departments: add, disable, enable again (an upsert on the existing row)
    ok(call("POST", "/api/v1/admin/departments", admin, new JsonObject().put("name", "消防救援")), 201);
    ok(call("POST", "/api/v1/admin/departments/" + java.net.URLEncoder.encode("消防救援", "UTF-8") + "/disable",
        admin, null), 200);
    ok(call("POST", "/api/v1/admin/departments", admin, new JsonObject().put("name", "消防救援")), 201);
    ok(call("POST", "/api/v1/admin/users", admin, new JsonObject().put("username", "wang.wu")
        .put("password", "a-long-adviser-password").put("role", "adviser")
        .put("departments", new JsonArray().add("综合执法"))), 201);
    String adviser = service.login("wang.wu", "a-long-adviser-password");

    // an owner asks, is answered with the legal basis, then asks for a person
    WebClientSession owner = WebClientSession.create(service.client);
    ok(await(owner.post("/api/v1/chat/messages").sendJsonObject(new JsonObject().put("id", "pg-owner-0001")
        .put("text", "员工没签劳动合同要付双倍工资吗"))), 202);
    assertTrue(TestService.eventually(vertx, () -> lines(owner).stream().anyMatch(l -> "bot".equals(
        l.getString("author")) && l.getString("text").contains("《"))), "answered with its legal basis");
    ok(await(owner.post("/api/v1/chat/messages").sendJsonObject(new JsonObject().put("id", "pg-owner-0002")
        .put("text", "我要找人工"))), 202);
    assertTrue(TestService.eventually(vertx, () -> ok(call("GET", "/api/v1/tickets", adviser, null), 200)
        .getJsonArray("tickets").size() == 1), "a ticket opens");
    long ticket = ok(call("GET", "/api/v1/tickets", adviser, null), 200).getJsonArray("tickets").getJsonObject(0)
        .getLong("id");

    // the adviser takes it, answers the owner, and resolves it with a proposal for new guidance
    ok(call("POST", "/api/v1/tickets/" + ticket + "/claim", adviser, null), 200);
    ok(call("POST", "/api/v1/tickets/" + ticket + "/replies", adviser, new JsonObject()
        .put("text", "您好，没签书面劳动合同满一个月的，应当支付双倍工资。")), 201);
    assertTrue(TestService.eventually(vertx, () -> lines(owner).stream().anyMatch(l -> "adviser".equals(
        l.getString("author")))), "the adviser's reply reaches the owner's chat");
    ok(call("POST", "/api/v1/tickets/" + ticket + "/resolve", adviser, new JsonObject().put("proposal",
        new JsonObject().put("title", "客户拖欠货款怎么办").put("answer", "先书面催告，再协商、调解或起诉。"))), 200);
    JsonObject detail = ok(call("GET", "/api/v1/tickets/" + ticket, adviser, null), 200);
    assertEquals("resolved", detail.getString("status"), detail.encode());

    JsonArray proposals = ok(call("GET", "/api/v1/admin/proposals?state=proposed", admin, null), 200)
        .getJsonArray("proposals");
    assertEquals(1, proposals.size(), proposals.encode());
    ok(call("POST", "/api/v1/admin/proposals/" + proposals.getJsonObject(0).getLong("id") + "/publish", admin,
        new JsonObject().put("docId", "unpaid-invoices").put("title", "客户拖欠货款，企业可以怎样追讨")
            .put("category", "合同与交易")
            .put("questions", new JsonArray().add("客户一直拖欠货款不给怎么办").add("对方欠钱不还能起诉吗")
                .add("货款被拖了半年怎么要回来"))
            .put("basis", new JsonArray().add("《中华人民共和国民法典》第五百七十七条"))
            .put("answer", "对方不按合同付款的，应当承担继续履行、赔偿损失等违约责任，可以先书面催告，再协商、调解或起诉。")
            .put("detail", "保留合同、送货单、对账单和催款记录。诉讼时效一般为三年。")
            .put("steps", "1. 发书面催款函\n2. 协商或申请调解\n3. 向人民法院起诉")
            .put("effective", "2021-01-01")), 201);
    assertTrue(TestService.eventually(vertx, () -> call("GET", "/api/v1/search?q="
        + java.net.URLEncoder.encode("客户拖欠货款", "UTF-8"), null, null).bodyAsString().contains("unpaid-invoices")),
        "the published guidance is found");

    // the admins' views read the same tables
    String month = YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
    JsonObject report = ok(call("GET", "/api/v1/admin/report?month=" + month, admin, null), 200);
    assertTrue(report.encode().contains("综合执法"), report.encode());
    assertTrue(call("GET", "/api/v1/admin/report.csv?month=" + month, admin, null).bodyAsString("UTF-8")
        .contains("综合执法"));
    ok(call("GET", "/api/v1/admin/unmet", admin, null), 200);
    ok(call("GET", "/api/v1/admin/stale-guidance", admin, null), 200);
    ok(call("GET", "/api/v1/admin/users", admin, null), 200);

    // the owner's data: exported with the ticket, then erased
    String ownerId = detail.getJsonObject("owner").getString("userId");
    JsonObject export = ok(call("GET", "/api/v1/admin/owners/web/" + ownerId + "/export", admin, null), 200);
    assertTrue(export.encode().contains("员工没签劳动合同"), "the export holds the owner's words");
    JsonObject erased = ok(call("POST", "/api/v1/admin/owners/web/" + ownerId + "/erase", admin, null), 200);
    assertEquals(1, erased.getInteger("tickets"), erased.encode());
    assertTrue(!ok(call("GET", "/api/v1/admin/owners/web/" + ownerId + "/export", admin, null), 200).encode()
        .contains("员工没签劳动合同"), "nothing of the owner's words is left");
  }

  private java.util.List<JsonObject> lines(WebClientSession owner) throws Exception {
    return ok(await(owner.get("/api/v1/chat/messages?after=0").send()), 200).getJsonArray("messages").stream()
        .map(l -> (JsonObject) l).toList();
  }
}
