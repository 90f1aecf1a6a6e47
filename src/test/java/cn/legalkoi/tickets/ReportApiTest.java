package cn.legalkoi.tickets;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admins' 315 report over real HTTP against the real service and its SQLite file. Figures of the current month
 * come from tickets made the real way (owners in the web chat, an adviser through the tickets API); figures that
 * depend on deadlines having passed come from a fixture month, March 2026, written straight into the database.
 */
class ReportApiTest {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final String ZH = "综合执法";
  static final String LINK = "=HYPERLINK(\"http://x\")";
  static final String SUM = "-1+2";

  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;
  String admin;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    Fixtures.copyKnowledgeBase(dir);
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"));
    admin = service.adminToken();
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  @Test
  @DisplayName("tickets made the real way: met milestones, one still within its deadlines (pending, not failed),"
      + " and the owners' ratings 满意 and 2 in the month they were opened")
  void realTicketsOfThisMonth() throws Exception {
    Owner first = new Owner();
    Owner second = new Owner();
    Owner third = new Owner();
    long one = first.escalate("a-00000001");
    long two = second.escalate("b-00000001");
    long three = third.escalate("c-00000001");
    String adviser = adviser("zhang.san", ZH);
    for (long id : List.of(one, two)) {
      assertEquals(201, call("POST", "/api/v1/tickets/" + id + "/replies", adviser,
          new JsonObject().put("text", "您好，我来处理。")).statusCode());
      assertEquals(200, call("POST", "/api/v1/tickets/" + id + "/resolve", adviser, null).statusCode());
    }
    first.rate("a-00000002", "满意");
    second.rate("b-00000002", "2");
    String month = monthOpened(one, adviser);
    assertEquals(month, monthOpened(three, adviser), "the three tickets were opened in one month");

    JsonObject report = get("/api/v1/admin/report?month=" + month, admin).bodyAsJsonObject();
    assertEquals(month, report.getString("month"));
    assertEquals("Asia/Shanghai", report.getString("timeZone"));
    assertEquals(1, report.getJsonArray("departments").size(), report.encode());
    JsonObject zh = department(report, ZH);
    assertEquals(3, zh.getInteger("tickets"));
    assertEquals(3, zh.getInteger("simple"));
    assertEquals(0, zh.getInteger("complex"));
    assertMilestone(zh, "respond", 2, 2, 1.0, 1);
    assertMilestone(zh, "settle", 2, 2, 1.0, 1);
    assertMilestone(zh, "feedback", 0, 0, null, 0);
    assertEquals(2, zh.getInteger("pending"), "ticket " + three + " is within both deadlines");
    assertEquals(new JsonArray(), zh.getJsonArray("breaches"));
    JsonObject ratings = zh.getJsonObject("ratings");
    assertEquals(2, ratings.getInteger("count"), "the unrated ticket is left out");
    assertEquals(3.5, ratings.getDouble("average"), "满意 is 5, and 2 is 2");
    assertEquals(new JsonObject().put("1", 0).put("2", 1).put("3", 0).put("4", 0).put("5", 1),
        ratings.getJsonObject("distribution"));
    JsonObject total = report.getJsonObject("total");
    assertEquals(withoutName(zh), total, "one department: the total is its figures");

    String csv = get("/api/v1/admin/report.csv?month=" + month, admin).bodyAsString("UTF-8");
    assertTrue(csv.contains("\r\n综合执法,3,3,0,2,2,100%,2,2,100%,0,0,,2,2,3.5,0,1,0,0,1\r\n"), csv);
    assertTrue(csv.contains("\r\n合计,3,3,0,2,2,100%,2,2,100%,0,0,,2,2,3.5,0,1,0,0,1\r\n"), csv);
  }

  @Test
  @DisplayName("a past month: a missed milestone counts against the department charged with the breach, a ticket"
      + " counts in the month it was opened in Shanghai time, and breaches are listed by their deadline's month")
  void pastMonthFigures() throws Exception {
    writeMarchFixture();
    JsonObject report = get("/api/v1/admin/report?month=2026-03", admin).bodyAsJsonObject();
    assertEquals(Set.of(ZH, LINK, SUM), report.getJsonArray("departments").stream()
        .map(d -> ((JsonObject) d).getString("department")).collect(Collectors.toSet()));

    JsonObject zh = department(report, ZH);
    assertEquals(3, zh.getInteger("tickets"), "101, 102, 107; not 105 (1 April in Shanghai) nor 106 (February)");
    assertMilestone(zh, "respond", 1, 1, 1.0, 0);
    assertMilestone(zh, "settle", 2, 3, 0.6667, 0);
    assertEquals(List.of("106 settle 2026-03-02T17:30+08:00", "107 settle 2026-03-23T17:30+08:00"), breaches(zh));
    assertEquals(2, zh.getJsonObject("ratings").getInteger("count"));
    assertEquals(3.0, zh.getJsonObject("ratings").getDouble("average"));

    JsonObject sum = department(report, SUM);
    assertEquals(1, sum.getInteger("tickets"), "it holds 104 (opened 23:30 on 31 March in Shanghai)");
    assertMilestone(sum, "respond", 1, 3, 0.3333, 0);
    assertMilestone(sum, "feedback", 1, 1, 1.0, 0);
    assertEquals(List.of("102 respond 2026-03-02T10:30+08:00", "107 respond 2026-03-20T10:30+08:00"), breaches(sum),
        "charged with the breaches of tickets it no longer holds");

    JsonObject link = department(report, LINK);
    assertMilestone(link, "respond", 1, 1, 1.0, 0);
    assertMilestone(link, "feedback", 0, 1, 0.0, 0);
    assertNull(link.getJsonObject("ratings").getValue("average"), "103 was not rated");

    JsonObject total = report.getJsonObject("total");
    assertFalse(total.containsKey("department"));
    assertEquals(5, total.getInteger("tickets"));
    assertEquals(3, total.getInteger("simple"));
    assertEquals(2, total.getInteger("complex"));
    assertMilestone(total, "respond", 3, 5, 0.6, 0);
    assertMilestone(total, "settle", 2, 3, 0.6667, 0);
    assertMilestone(total, "feedback", 1, 2, 0.5, 0);
    assertEquals(0, total.getInteger("pending"));
    assertEquals(List.of("102 respond 2026-03-02T10:30+08:00", "106 settle 2026-03-02T17:30+08:00",
        "103 feedback 2026-03-10T17:30+08:00", "107 respond 2026-03-20T10:30+08:00",
        "107 settle 2026-03-23T17:30+08:00"), breaches(total));
    assertEquals(new JsonObject().put("count", 3).put("average", 3.67).put("distribution",
        new JsonObject().put("1", 0).put("2", 1).put("3", 0).put("4", 1).put("5", 1)), total.getJsonObject("ratings"));

    JsonObject april = get("/api/v1/admin/report?month=2026-04", admin).bodyAsJsonObject();
    assertEquals(1, april.getJsonObject("total").getInteger("tickets"), "105 only: " + april.encode());
    assertEquals(1, department(april, ZH).getJsonObject("ratings").getJsonObject("distribution").getInteger("1"));
    assertEquals(0, get("/api/v1/admin/report?month=2026-05", admin).bodyAsJsonObject().getJsonArray("departments")
        .size());
  }

  @Test
  @DisplayName("with a department, only it is reported and the total is its figures; an unknown one reports zeros")
  void oneDepartment() throws Exception {
    writeMarchFixture();
    JsonObject report = get("/api/v1/admin/report?month=2026-03&department=" + encode(SUM), admin)
        .bodyAsJsonObject();
    assertEquals(1, report.getJsonArray("departments").size(), report.encode());
    JsonObject sum = department(report, SUM);
    assertEquals(withoutName(sum), report.getJsonObject("total"));
    assertEquals(2, report.getJsonObject("total").getJsonArray("breaches").size());

    JsonObject none = get("/api/v1/admin/report?month=2026-03&department=" + encode("交通运输"), admin)
        .bodyAsJsonObject();
    JsonObject empty = department(none, "交通运输");
    assertEquals(0, empty.getInteger("tickets"));
    assertMilestone(empty, "respond", 0, 0, null, 0);
    assertEquals(0, empty.getJsonObject("ratings").getInteger("count"));
  }

  @Test
  @DisplayName("the CSV download: UTF-8 with a BOM, an attachment named for the month, RFC 4180 quoting, and no"
      + " cell that a spreadsheet would run as a formula")
  void csvExport() throws Exception {
    writeMarchFixture();
    HttpResponse<Buffer> r = get("/api/v1/admin/report.csv?month=2026-03", admin);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("text/csv; charset=utf-8", r.getHeader("Content-Type"));
    assertEquals("attachment; filename=\"315-report-2026-03.csv\"", r.getHeader("Content-Disposition"));
    byte[] bytes = r.body().getBytes();
    assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, java.util.Arrays.copyOf(bytes, 3));
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\r\n"));

    assertTrue(text.contains("\r\n\"'=HYPERLINK(\"\"http://x\"\")\",1,0,1,1,1,100%,0,0,,0,1,0%,0,0,,0,0,0,0,0\r\n"),
        text);
    assertTrue(text.contains("\r\n'-1+2,1,0,1,1,3,33.33%,0,0,,1,1,100%,0,1,5.0,0,0,0,0,1\r\n"), text);
    assertTrue(text.contains("\r\n综合执法,3,3,0,1,1,100%,2,3,66.67%,0,0,,0,2,3.0,0,1,0,1,0\r\n"), text);
    assertTrue(text.contains("\r\n合计,5,3,2,3,5,60%,2,3,66.67%,1,2,50%,0,3,3.67,0,1,0,1,1\r\n"), text);
    assertTrue(text.contains("\r\n'-1+2,102,响应,2026-03-02 10:30\r\n"), text);
    assertTrue(text.contains("\r\n\"'=HYPERLINK(\"\"http://x\"\")\",103,反馈,2026-03-10 17:30\r\n"), text);

    List<List<String>> rows = parse(text);
    assertEquals(List.of("部门", "工单号", "超时节点", "时限"), rows.get(rows.size() - 6), "five breaches follow");
    for (List<String> row : rows) {
      for (String cell : row) {
        assertFalse(!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0, "a formula cell: " + row);
      }
    }
    assertTrue(rows.stream().anyMatch(row -> row.get(0).equals("'" + LINK)), "read back as the name, inert");
  }

  @Test
  @DisplayName("admins only: no token is 401, an adviser 403, and a missing or impossible month 400, with no figures")
  void rolesAndMonths() throws Exception {
    writeMarchFixture();
    String adviser = adviser("li.si", ZH);
    for (String path : List.of("/api/v1/admin/report?month=2026-03", "/api/v1/admin/report.csv?month=2026-03")) {
      HttpResponse<Buffer> anonymous = get(path, null);
      assertEquals(401, anonymous.statusCode());
      assertEquals("unauthorized", anonymous.bodyAsJsonObject().getString("error"));
      HttpResponse<Buffer> refused = get(path, adviser);
      assertEquals(403, refused.statusCode());
      assertEquals(Set.of("error", "message"), refused.bodyAsJsonObject().fieldNames(), "no figures leak");
    }
    for (String query : List.of("?month=2026-13", "?month=abc", "", "?month=2026-3", "?month=2026-00",
        "?month=%E4%BA%8C%E6%9C%88")) {
      for (String route : List.of("/api/v1/admin/report", "/api/v1/admin/report.csv")) {
        HttpResponse<Buffer> bad = get(route + query, admin);
        assertEquals(400, bad.statusCode(), route + query);
        assertEquals("application/json; charset=utf-8", bad.getHeader("Content-Type"));
        assertEquals("bad_request", bad.bodyAsJsonObject().getString("error"));
        assertNull(bad.getHeader("Content-Disposition"), "no download for " + query);
      }
    }
  }

  // ---- the fixture month ----

  /**
   * March 2026 (all deadlines long past), written as the service would have left it, each late milestone with its
   * breach row as the deadline watch records it:
   * <pre>
   * id  opened (Shanghai)  kind     holds now  respond               final                         rating
   * 101 03-02 09:00        simple   综合执法   met on time           settle met on time            4
   * 102 03-02 10:00        simple   综合执法   late, charged -1+2    settle met on time            2
   * 103 03-05 14:00        complex  =HYPER…    met on time           feedback late, charged =HY…   -
   * 104 03-31 23:30        complex  -1+2       met on time (April)   feedback met on time (April)  5
   * 105 04-01 00:10        simple   综合执法   met on time           settle met on time            1  (April)
   * 106 02-27 16:00        simple   综合执法   met on time           settle late 03-02, charged 综合执法  (February)
   * 107 03-20 10:00        simple   综合执法   never, charged -1+2   never, charged 综合执法        -  (open)
   * </pre>
   */
  private void writeMarchFixture() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/legal-koi.db"))) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout=5000");
      }
      c.setAutoCommit(false);
      ticket(c, 101, "simple", ZH, "resolved", "03-02T09:00", "03-02T09:30", "03-02T09:10", "03-03T17:30",
          "03-03T10:00", 4);
      ticket(c, 102, "simple", ZH, "resolved", "03-02T10:00", "03-02T10:30", "03-02T11:00", "03-03T17:30",
          "03-03T16:00", 2);
      breach(c, 102, "respond", "03-02T10:30", SUM);
      ticket(c, 103, "complex", LINK, "resolved", "03-05T14:00", "03-05T14:30", "03-05T14:20", "03-10T17:30",
          "03-12T10:00", 0);
      breach(c, 103, "feedback", "03-10T17:30", LINK);
      ticket(c, 104, "complex", SUM, "resolved", "03-31T23:30", "04-01T09:30", "04-01T09:00", "04-07T17:30",
          "04-03T10:00", 5);
      ticket(c, 105, "simple", ZH, "resolved", "04-01T00:10", "04-01T09:30", "04-01T09:05", "04-02T17:30",
          "04-02T10:00", 1);
      ticket(c, 106, "simple", ZH, "resolved", "02-27T16:00", "02-27T16:30", "02-27T16:10", "03-02T17:30",
          "03-03T09:30", 0);
      breach(c, 106, "settle", "03-02T17:30", ZH);
      ticket(c, 107, "simple", ZH, "claimed", "03-20T10:00", "03-20T10:30", null, "03-23T17:30", null, 0);
      breach(c, 107, "respond", "03-20T10:30", SUM);
      breach(c, 107, "settle", "03-23T17:30", ZH);
      c.commit();
    }
  }

  private static void ticket(Connection c, long id, String complexity, String department, String status,
      String opened, String respondDue, String respondMet, String finalDue, String finalMet, int rating)
      throws Exception {
    long conversation;
    try (PreparedStatement st = c.prepareStatement("INSERT INTO conversations (channel, user_id, conversation_key,"
        + " reply_target, created_at, updated_at) VALUES ('web', ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      st.setString(1, "fixture-" + id);
      st.setString(2, "fixture-" + id);
      st.setString(3, "fixture-" + id);
      st.setLong(4, at(opened));
      st.setLong(5, at(opened));
      st.executeUpdate();
      var keys = st.getGeneratedKeys();
      keys.next();
      conversation = keys.getLong(1);
    }
    long lastChange = at(finalMet != null ? finalMet : opened);
    try (PreparedStatement st = c.prepareStatement("INSERT INTO tickets (id, conversation_id, channel, user_id,"
        + " status, question, reason, complexity, department, assignee, opened_at, first_line_id, respond_due,"
        + " final_due, respond_met_at, final_met_at, resolved_at, rating, owner_wrote_at, updated_at)"
        + " VALUES (?, ?, 'web', ?, ?, '合同纠纷怎么办', 'asked_for_person', ?, ?, 'fixture.adviser', ?, 0, ?, ?, ?, ?,"
        + " ?, ?, ?, ?)")) {
      st.setLong(1, id);
      st.setLong(2, conversation);
      st.setString(3, "fixture-" + id);
      st.setString(4, status);
      st.setString(5, complexity);
      st.setString(6, department);
      st.setLong(7, at(opened));
      st.setLong(8, at(respondDue));
      st.setLong(9, at(finalDue));
      st.setLong(10, respondMet == null ? 0 : at(respondMet));
      st.setLong(11, finalMet == null ? 0 : at(finalMet));
      st.setLong(12, "resolved".equals(status) ? lastChange : 0);
      st.setInt(13, rating);
      st.setLong(14, at(opened));
      st.setLong(15, lastChange);
      st.executeUpdate();
    }
  }

  private static void breach(Connection c, long ticketId, String milestone, String due, String department)
      throws Exception {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO ticket_breaches (ticket_id, milestone, due_at,"
        + " department, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
      st.setLong(1, ticketId);
      st.setString(2, milestone);
      st.setLong(3, at(due));
      st.setString(4, department);
      st.setLong(5, at(due) + 30_000);
      st.executeUpdate();
    }
  }

  /** "03-02T09:00" → that moment of 2026 in Shanghai, in epoch ms. */
  private static long at(String monthDayTime) {
    return LocalDateTime.parse("2026-" + monthDayTime).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  // ---- helpers ----

  /** One browser in the web chat: its cookie is its session. */
  private final class Owner {
    final WebClientSession client = WebClientSession.create(service.client);
    long seen;

    /** Asks for a person and waits for the bot to tell the ticket's number. */
    long escalate(String messageId) throws Exception {
      say(messageId, "我要找人工，合同的事想请顾问看看");
      return nextLine("escalate").getJsonObject("meta").getLong("ticketId");
    }

    /** Answers the rating request and waits for the thanks. */
    void rate(String messageId, String rating) throws Exception {
      nextLine("rating_request");
      say(messageId, rating);
      nextLine("rating");
    }

    private void say(String id, String text) throws Exception {
      HttpResponse<Buffer> r = await(client.post("/api/v1/chat/messages")
          .sendJsonObject(new JsonObject().put("id", id).put("text", text)));
      assertEquals(202, r.statusCode(), r.bodyAsString());
    }

    /** Long-polls the conversation (the server holds the request until a line arrives) for a bot line of a kind. */
    private JsonObject nextLine(String kind) throws Exception {
      List<JsonObject> seenLines = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        HttpResponse<Buffer> r = await(client.get("/api/v1/chat/messages?wait=true&after=" + seen).send());
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonArray lines = r.bodyAsJsonObject().getJsonArray("messages");
        for (int i = 0; i < lines.size(); i++) {
          JsonObject line = lines.getJsonObject(i);
          seen = Math.max(seen, line.getLong("id"));
          seenLines.add(line);
          if (kind.equals(line.getString("kind"))) {
            return line;
          }
        }
      }
      throw new AssertionError("no " + kind + " line arrived; lines: " + seenLines);
    }
  }

  private String adviser(String name, String department) throws Exception {
    HttpResponse<Buffer> created = call("POST", "/api/v1/admin/users", admin, new JsonObject()
        .put("username", name).put("password", "adviser-password-1").put("role", "adviser")
        .put("departments", new JsonArray().add(department)));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return service.login(name, "adviser-password-1");
  }

  /** The month, in Shanghai, a ticket was opened in, as the tickets API reports its opening. */
  private String monthOpened(long id, String token) throws Exception {
    String createdAt = call("GET", "/api/v1/tickets/" + id, token, null).bodyAsJsonObject().getString("createdAt");
    return YearMonth.from(OffsetDateTime.parse(createdAt).atZoneSameInstant(SHANGHAI)).toString();
  }

  private HttpResponse<Buffer> get(String path, String token) throws Exception {
    return call("GET", path, token, null);
  }

  private HttpResponse<Buffer> call(String method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static JsonObject department(JsonObject report, String name) {
    return report.getJsonArray("departments").stream().map(JsonObject.class::cast)
        .filter(d -> name.equals(d.getString("department"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + report.encode()));
  }

  private static void assertMilestone(JsonObject figures, String milestone, int met, int due, Double share,
      int pending) {
    JsonObject m = figures.getJsonObject(milestone);
    assertEquals(new JsonObject().put("met", met).put("due", due).put("share", share).put("pending", pending), m,
        milestone + " of " + figures.getString("department", "the total"));
  }

  private static List<String> breaches(JsonObject figures) {
    return figures.getJsonArray("breaches").stream().map(JsonObject.class::cast)
        .map(b -> b.getLong("ticketId") + " " + b.getString("milestone") + " " + b.getString("due")).toList();
  }

  private static JsonObject withoutName(JsonObject figures) {
    JsonObject copy = figures.copy();
    copy.remove("department");
    return copy;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** RFC 4180, enough to read the report back: quoted cells, doubled quotes, CRLF rows. */
  private static List<List<String>> parse(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char ch = csv.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        cell.append(ch);
      }
    }
    return rows;
  }
}
