package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Browser;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The advisers' console in a real headless Chromium, on a laptop and on a phone, against the real service: owners
 * ask for a person through the web chat's API, and advisers work the tickets in the page.
 */
class ConsoleBrowserTest {
  /** Written on every run and kept in the repository, so a change to the page shows in review. */
  static final Path QUEUE_SCREENSHOT = Path.of("docs/screenshots/console-queue-laptop.png");
  static final Path TICKET_SCREENSHOT = Path.of("docs/screenshots/console-ticket-phone.png");
  static final String TITLE = "法治锦鲤 · 顾问工作台";
  static final String PASSWORD = "adviser-pass-2026";
  /** What an owner might paste: it must stay text in the console too. */
  static final String HTML = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>";
  static final String ASK_FOR_PERSON = "我要找人工，第一次被罚款能分期吗";

  @TempDir
  static Path dir;
  static Vertx vertx;
  static TestService service;
  static Browser laptop;
  static Browser phone;
  static String adminToken;
  static final AtomicInteger USERS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = TestVertx.create();
    // a calendar file that lists no year, so that the service warns its deadlines are estimated
    Path calendar = java.nio.file.Files.writeString(dir.resolve("calendar-empty.json"), "{\"years\": {}}");
    Path knowledgeBase = Fixtures.copyKnowledgeBase(dir);
    JsonObject config = TestService.config(knowledgeBase, dir.resolve("data"))
        .put("sla", new JsonObject().put("calendarFile", calendar.toString()));
    service = TestService.start(vertx, knowledgeBase, dir.resolve("data"), config);
    adminToken = service.adminToken();
    laptop = Browser.laptop();
    phone = Browser.phone();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (Browser browser : new Browser[] {laptop, phone}) {
        if (browser != null) {
          browser.close();
        }
      }
    } finally {
      if (service != null) {
        service.close();
      }
      if (vertx != null) {
        await(vertx.close());
      }
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + service.app.port() + path;
  }

  // ---- the service side: owners, users and tickets through the API ----

  /** An owner in the web chat: the cookie is the session. */
  private static final class Owner {
    final WebClientSession client = WebClientSession.create(service.client);

    void say(String text) throws Exception {
      HttpResponse<Buffer> r = await(client.post("/api/v1/chat/messages").sendJsonObject(new JsonObject()
          .put("text", text)));
      assertEquals(202, r.statusCode(), r.bodyAsString());
    }

    List<JsonObject> lines() throws Exception {
      HttpResponse<Buffer> r = await(client.get("/api/v1/chat/messages?after=0").send());
      assertEquals(200, r.statusCode(), r.bodyAsString());
      return r.bodyAsJsonObject().getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
    }
  }

  private static JsonObject api(String method, String path, String token, JsonObject body) throws Exception {
    var request = service.client.request(io.vertx.core.http.HttpMethod.valueOf(method), path)
        .putHeader("Authorization", "Bearer " + token);
    HttpResponse<Buffer> r = await(body == null ? request.send() : request.sendJsonObject(body));
    assertTrue(r.statusCode() / 100 == 2, method + " " + path + ": " + r.statusCode() + " " + r.bodyAsString());
    return r.body() == null || r.body().length() == 0 ? new JsonObject() : r.bodyAsJsonObject();
  }

  /** A new adviser in {@code departments}, with a name no other test uses. */
  private static String adviser(String... departments) throws Exception {
    String name = "adviser" + USERS.incrementAndGet();
    api("POST", "/api/v1/admin/users", adminToken, new JsonObject().put("username", name).put("password", PASSWORD)
        .put("role", "adviser").put("departments", new JsonArray(List.of(departments))));
    return name;
  }

  /** The ticket an owner's words opened, once there is one. */
  private static JsonObject ticketAbout(String question) throws Exception {
    JsonObject[] found = new JsonObject[1];
    assertTrue(TestService.eventually(vertx, () -> {
      for (Object t : api("GET", "/api/v1/tickets", adminToken, null).getJsonArray("tickets")) {
        JsonObject ticket = (JsonObject) t;
        if (ticket.getString("question", "").contains(question)) {
          found[0] = ticket;
          return true;
        }
      }
      return false;
    }), "no ticket about " + question);
    return found[0];
  }

  /** A new owner asks for a person about {@code question}; the ticket it opens. */
  private static JsonObject newTicket(Owner owner, String question) throws Exception {
    owner.say(question);
    return ticketAbout(question);
  }

  // ---- the page side ----

  /** Opens the console signed out (sessionStorage emptied) and signs in. */
  private static void signIn(Browser browser, String username, String password) {
    browser.open(url("/console"));
    browser.script("sessionStorage.clear()");
    browser.reload();
    browser.waitForVisible(By.id("username")).sendKeys(username);
    browser.waitForVisible(By.id("password")).sendKeys(password);
    browser.waitForVisible(By.id("sign-in-button")).click();
  }

  private static void signInAndWaitForQueue(Browser browser, String username) {
    signIn(browser, username, PASSWORD);
    browser.waitForVisible(By.id("queue"));
    browser.waitUntil(ExpectedConditions.textMatches(By.id("queue-count"), java.util.regex.Pattern.compile("共 \\d+")));
  }

  private static By queueItem(long id) {
    return By.cssSelector("#queue-list .ticket-item[data-id='" + id + "']");
  }

  private static void openFromQueue(Browser browser, long id) {
    browser.waitForVisible(queueItem(id)).findElement(By.tagName("a")).click();
    browser.waitForText("工单 #" + id);
    browser.waitUntil(d -> !browser.findAll(By.cssSelector("#ticket-actions button")).isEmpty());
  }

  private static WebElement action(Browser browser, String name) {
    return browser.waitForVisible(By.cssSelector("#ticket-actions button[data-action='" + name + "']"));
  }

  /** The open ticket's status as its badge says it, read in one step (the badge is redrawn on every change). */
  private static String statusBadge(Browser browser) {
    return (String) browser.script("const b = document.querySelector('#ticket-head .badge.status');"
        + " return b ? b.textContent : null");
  }

  /** Waits until the suggestions for the open ticket have been read, and returns how many there are. */
  private static long suggestionsLoaded(Browser browser) {
    browser.waitUntil(d -> Boolean.TRUE.equals(browser.script("const s = document.getElementById('suggestions-state');"
        + " return document.querySelectorAll('#suggestion-list li').length > 0"
        + " || (s.textContent !== '' && s.textContent !== '正在查找…')")));
    return (Long) browser.script("return document.querySelectorAll('#suggestion-list li').length");
  }

  // ---- the tests ----

  @Test
  @DisplayName("an adviser sees a new ticket arrive without reloading, reads HTML as text, inserts a cited"
      + " suggestion, replies to the owner, gives feedback, resolves and signs out")
  void adviserWorksATicket() throws Exception {
    String department = departmentOfNewTickets();
    String name = adviser(department);
    signInAndWaitForQueue(laptop, name);

    Owner owner = new Owner();
    JsonObject ticket = newTicket(owner, ASK_FOR_PERSON + HTML);
    long id = ticket.getLong("id");

    WebElement item = laptop.waitForVisible(queueItem(id)); // arrives through the changes poll, no reload
    WebElement countdown = item.findElement(By.className("countdown"));
    assertTrue(countdown.getText().matches("(?s)正常\\s*响应剩 \\d.*"), countdown.getText());
    assertTrue(countdown.getDomAttribute("class").contains("due-ok"), countdown.getDomAttribute("class"));
    assertTrue(item.getText().contains(HTML), "the queue shows the question as text: " + item.getText());

    openFromQueue(laptop, id);
    WebElement ownerLine = laptop.waitForVisible(By.cssSelector("#transcript .line.owner"));
    assertTrue(ownerLine.getText().contains(HTML), ownerLine.getText());
    assertNoInjectedElements(laptop);
    owner.say("补充一下：处罚决定书是上周收到的"); // the owner writes again while the ticket is open
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "处罚决定书是上周收到的"));
    laptop.waitUntil(d -> "未认领".equals(statusBadge(laptop)));

    action(laptop, "claim").click();
    laptop.waitUntil(d -> "已认领".equals(statusBadge(laptop)));
    // the calendar warning names this run's temporary file: folded away, so the picture changes only with the page
    laptop.waitForVisible(By.cssSelector("#calendar-banner button.dismiss")).click();
    laptop.waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("calendar-banner")));
    laptop.script("document.getElementById('queue').scrollTop = 0");
    laptop.saveScreenshot(QUEUE_SCREENSHOT);

    WebElement insert = laptop.waitForVisible(By.cssSelector("#suggestion-list .suggestion .insert"));
    String citation = laptop.findAll(By.cssSelector("#suggestion-list .suggestion .citation")).get(0).getText();
    assertTrue(citation.matches("《[^》]+》第[一二三四五六七八九十百零]+条.*"), citation);
    insert.click();
    WebElement reply = laptop.waitForVisible(By.id("reply"));
    String inserted = reply.getDomProperty("value");
    assertTrue(inserted.contains(citation), "the reply box holds the citation: " + inserted);

    reply.sendKeys("\n您好，分期缴纳需要向作出处罚决定的机关书面申请。");
    laptop.waitForVisible(By.id("reply-send")).click();
    laptop.waitUntil(d -> "".equals(laptop.findAll(By.id("reply")).get(0).getDomProperty("value")));
    laptop.waitForVisible(By.cssSelector("#transcript .line.adviser"));
    assertTrue(TestService.eventually(vertx, () -> owner.lines().stream().anyMatch(line ->
        "adviser".equals(line.getString("author")) && line.getString("text", "").contains(citation)
            && line.getString("text", "").contains("书面申请"))), "the reply reaches the owner's web chat");

    reply = laptop.waitForVisible(By.id("reply"));
    reply.sendKeys("只给顾问看的备注");
    laptop.waitForVisible(By.id("reply-note")).click();
    laptop.waitForVisible(By.id("reply-send")).click();
    laptop.waitForVisible(By.cssSelector("#transcript .line.internal"));
    assertFalse(owner.lines().stream().anyMatch(line -> line.getString("text", "").contains("只给顾问看的备注")),
        "an internal note never reaches the owner");

    String complexity = api("GET", "/api/v1/tickets/" + id, adminToken, null).getString("complexity");
    if ("simple".equals(complexity)) {
      WebElement toComplex = action(laptop, "complexity");
      assertEquals("改为复杂事项", toComplex.getText());
      toComplex.click();
    }
    laptop.waitUntil(d -> "改为简单事项".equals(laptop.script(
        "const b = document.querySelector('#ticket-actions [data-action=complexity]'); return b && b.textContent")));
    laptop.waitForVisible(By.id("reply-feedback-label"));
    laptop.waitForVisible(By.id("reply")).sendKeys("您的情况我们已在核实，五日内给您答复。");
    laptop.waitForVisible(By.id("reply-feedback")).click();
    laptop.waitForVisible(By.id("reply-send")).click();
    laptop.waitForVisible(By.cssSelector("#transcript .line.feedback"));
    JsonObject afterFeedback = api("GET", "/api/v1/tickets/" + id, adminToken, null);
    assertNotNull(afterFeedback.getJsonObject("met").getString("feedback"), afterFeedback.encodePrettily());
    WebElement feedbackDeadline = laptop.waitForVisible(By.cssSelector("#ticket-deadlines .countdown.due-met"));
    assertTrue(feedbackDeadline.getText().contains("完成"), feedbackDeadline.getText());

    action(laptop, "resolve").click();
    laptop.waitForVisible(By.id("resolve-propose")).click();
    WebElement proposalTitle = laptop.waitForVisible(By.id("proposal-title"));
    assertTrue(proposalTitle.getDomProperty("value").startsWith(ASK_FOR_PERSON), "the question is the first title");
    proposalTitle.clear();
    proposalTitle.sendKeys("罚款能否分期缴纳");
    laptop.waitForVisible(By.id("proposal-answer")).sendKeys("确有经济困难的，可以向作出处罚决定的机关申请分期缴纳。");
    laptop.waitForVisible(By.cssSelector("#resolve-form button[type=submit]")).click();
    laptop.waitUntil(d -> "已办结".equals(statusBadge(laptop)));
    action(laptop, "reopen");
    assertTrue(api("GET", "/api/v1/admin/proposals", adminToken, null).getJsonArray("proposals").stream()
        .map(JsonObject.class::cast).anyMatch(p -> p.getLong("ticketId") == id
            && "罚款能否分期缴纳".equals(p.getString("title"))), "the resolve form proposed guidance");
    assertEquals("resolved", api("GET", "/api/v1/tickets/" + id, adminToken, null).getString("status"));
    laptop.waitUntil(ExpectedConditions.invisibilityOfElementLocated(queueItem(id))); // gone from 待处理

    laptop.waitForVisible(By.id("sign-out")).click();
    laptop.waitForVisible(By.id("sign-in-form"));
    assertEquals(null, laptop.script("return sessionStorage.getItem('koi.console.token')"));
    assertFalse(laptop.findAll(By.id("desk")).get(0).isDisplayed());
  }

  /** Where the service routes a new ticket: asked of a throwaway one. */
  private static String departmentOfNewTickets() throws Exception {
    return newTicket(new Owner(), "我要找人工，想问问营业执照的事 " + USERS.incrementAndGet()).getString("department");
  }

  private static void assertNoInjectedElements(Browser browser) {
    Optional<String> alert = browser.openAlert();
    assertFalse(alert.isPresent(), "the page opened an alert: " + alert.orElse(""));
    assertEquals(TITLE, browser.title().replaceFirst("^\\(\\d+\\) ", ""));
    assertEquals(0L, browser.script("return document.querySelectorAll('#main img, #main script').length"));
  }

  @Test
  @DisplayName("an admin assigns a ticket, records a phone call, transfers it with a note, finds it under its new"
      + " department, resolves and reopens it")
  void assignTransferReopen() throws Exception {
    String department = departmentOfNewTickets();
    String elsewhere = department + "二组";
    api("POST", "/api/v1/admin/departments", adminToken, new JsonObject().put("name", elsewhere));
    String colleague = adviser(department);
    long id = newTicket(new Owner(), ASK_FOR_PERSON + " 指派 " + USERS.incrementAndGet()).getLong("id");
    signIn(laptop, "admin", TestService.ADMIN_PASSWORD);
    openFromQueue(laptop, id);

    action(laptop, "assign").click();
    laptop.waitForVisible(By.id("assign-user")).sendKeys(colleague);
    laptop.waitForVisible(By.cssSelector("#assign-form button[type=submit]")).click();
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("ticket-head"), "经办人\n" + colleague));
    assertFalse(laptop.findAll(By.id("assign-form")).get(0).isDisplayed(), "the form closes once done");

    action(laptop, "phone").click();
    laptop.waitForVisible(By.id("phone-text")).sendKeys("已电话联系企业主，约定明天上门");
    laptop.waitForVisible(By.cssSelector("#phone-form button[type=submit]")).click();
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "约定明天上门"));
    laptop.waitForVisible(By.cssSelector("#ticket-deadlines .countdown.due-met"));

    action(laptop, "transfer").click();
    new org.openqa.selenium.support.ui.Select(laptop.waitForVisible(By.id("transfer-department")))
        .selectByVisibleText(elsewhere);
    laptop.waitForVisible(By.id("transfer-note")).sendKeys("涉及另一组的业务");
    laptop.waitForVisible(By.cssSelector("#transfer-form button[type=submit]")).click();
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("ticket-head"), "部门\n" + elsewhere));
    assertTrue(laptop.findAll(By.id("history-list")).get(0).getDomProperty("textContent").contains("涉及另一组的业务"));
    var filter = new org.openqa.selenium.support.ui.Select(laptop.waitForVisible(By.id("filter-department")));
    filter.selectByVisibleText(department);
    laptop.waitUntil(ExpectedConditions.invisibilityOfElementLocated(queueItem(id)));
    filter.selectByVisibleText(elsewhere);
    laptop.waitForVisible(queueItem(id));

    action(laptop, "resolve").click();
    laptop.waitForVisible(By.cssSelector("#resolve-form button[type=submit]")).click();
    laptop.waitUntil(d -> "已办结".equals(statusBadge(laptop)));
    assertFalse(laptop.waitForVisible(By.id("reply")).isEnabled(), "a resolved ticket takes no reply");
    action(laptop, "reopen").click();
    laptop.waitUntil(d -> !"已办结".equals(statusBadge(laptop)));
    assertTrue(laptop.waitForVisible(By.id("reply")).isEnabled());
    assertEquals("claimed", api("GET", "/api/v1/tickets/" + id, adminToken, null).getString("status"));
  }

  @Test
  @DisplayName("on a phone the queue and a ticket take turns on one narrow screen, with nothing wider than it")
  void ticketOnPhone() throws Exception {
    String name = adviser(departmentOfNewTickets());
    long id = newTicket(new Owner(), ASK_FOR_PERSON + " 手机 " + USERS.incrementAndGet()).getLong("id");
    signInAndWaitForQueue(phone, name);

    openFromQueue(phone, id);
    phone.waitForVisible(By.cssSelector("#transcript .line.owner"));
    assertTrue(suggestionsLoaded(phone) > 0, phone.findAll(By.id("suggestions-state")).get(0).getText());
    assertFalse(phone.findAll(By.id("queue")).get(0).isDisplayed(), "the queue steps aside for the ticket");
    if (phone.findAll(By.id("calendar-banner")).get(0).isDisplayed()) {
      phone.waitForVisible(By.cssSelector("#calendar-banner button.dismiss")).click();
    }
    phone.saveScreenshot(TICKET_SCREENSHOT);
    assertEquals(Browser.PHONE_WIDTH, ((Number) phone.script("return window.innerWidth")).intValue());
    long scrollWidth = ((Number) phone.script("return document.documentElement.scrollWidth")).longValue();
    assertTrue(scrollWidth <= Browser.PHONE_WIDTH, "no horizontal scrolling, but scrollWidth is " + scrollWidth);
    for (WebElement e : List.of(phone.waitForVisible(By.id("reply")), action(phone, "claim"),
        phone.waitForVisible(By.cssSelector("#ticket-deadlines .countdown")))) {
      int right = e.getRect().getX() + e.getRect().getWidth();
      assertTrue(e.getRect().getX() >= 0 && right <= Browser.PHONE_WIDTH, e.getText() + " ends at x " + right);
    }
    assertTrue(phone.drawsDistinctGlyphs(phone.waitForVisible(By.cssSelector("#ticket-head h2")), "工单顾问"),
        "Chinese is drawn as empty boxes: install a CJK font (Debian fonts-noto-cjk)");

    phone.waitForVisible(By.id("back")).click();
    phone.waitForVisible(queueItem(id));
    assertFalse(phone.findAll(By.id("ticket")).get(0).isDisplayed());
  }

  @Test
  @DisplayName("an adviser does not see another department's ticket in the queue")
  void otherDepartmentHidden() throws Exception {
    String department = departmentOfNewTickets();
    String elsewhere = department + "外";
    api("POST", "/api/v1/admin/departments", adminToken, new JsonObject().put("name", elsewhere));
    String outsider = adviser(elsewhere);
    long id = newTicket(new Owner(), ASK_FOR_PERSON + " 别部门 " + USERS.incrementAndGet()).getLong("id");

    signInAndWaitForQueue(laptop, outsider);

    assertTrue(laptop.findAll(queueItem(id)).isEmpty(), "ticket #" + id + " of " + department + " is listed");
    laptop.open(url("/console#/ticket/" + id)); // nor can the address open it
    laptop.waitForVisible(By.id("action-error"));
    assertFalse(laptop.visibleText().contains(ASK_FOR_PERSON + " 别部门"), laptop.visibleText());
  }

  @Test
  @DisplayName("when the working calendar lacks a year, a banner says so until the adviser folds it away")
  void calendarWarningBanner() throws Exception {
    JsonArray warnings = api("GET", "/api/v1/calendar/warnings", adminToken, null).getJsonArray("warnings");
    assertFalse(warnings.isEmpty(), "the empty calendar file should cause a warning");
    signInAndWaitForQueue(laptop, adviser(departmentOfNewTickets()));

    WebElement banner = laptop.waitForVisible(By.id("calendar-banner"));
    assertTrue(banner.getText().contains(warnings.getString(0)), banner.getText());
    banner.findElement(By.cssSelector("button.dismiss")).click();
    laptop.waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("calendar-banner")));
    laptop.reload();
    laptop.waitUntil(d -> Boolean.TRUE.equals(laptop.script(
        "return document.getElementById('calendar-banner').textContent !== ''"))); // the warnings were read again
    assertFalse(laptop.findAll(By.id("calendar-banner")).get(0).isDisplayed(), "folded away for this tab");
  }

  @Test
  @DisplayName("the response is at risk 10 minutes before it is due (even after a night), settle and feedback under a"
      + " quarter of their span, and breached once past")
  void deadlineStates() {
    laptop.open(url("/console"));
    // created at 09:00 Beijing time, respond due 09:30 (span 30 min), settle due 09:00 the next day (span 24 h)
    Object states = laptop.script("""
        const ticket = {status: 'open', createdAt: '2026-12-01T09:00:00+08:00', breached: [], met: {},
          due: {respond: '2026-12-01T09:30:00+08:00', settle: '2026-12-02T09:00:00+08:00'}};
        const at = time => Date.parse('2026-12-01T' + time + '+08:00');
        const day2 = time => Date.parse('2026-12-02T' + time + '+08:00');
        const met = time => ({...ticket, met: {respond: '2026-12-01T' + time + '+08:00'}});
        return import('/static/console/deadlines.js').then(d => [
          d.milestoneState(ticket, 'respond', at('09:19:00')).state,
          d.milestoneState(ticket, 'respond', at('09:21:00')).state,
          d.milestoneState(ticket, 'respond', at('09:31:00')).state,
          d.milestoneState({...ticket, createdAt: '2026-11-30T17:20:00+08:00', due: {respond: '2026-12-01T09:20:00+08:00'}},
            'respond', at('06:00:00')).state,
          d.milestoneState(ticket, 'settle', day2('02:59:00')).state,
          d.milestoneState(ticket, 'settle', day2('03:01:00')).state,
          d.milestoneState({...ticket, breached: ['settle']}, 'settle', at('10:00:00')).state,
          d.milestoneState(met('09:25:00'), 'respond', at('10:00:00')).state,
          d.milestoneState(met('09:45:00'), 'respond', at('10:00:00')).state,
          d.nextMilestone(met('09:25:00'), at('10:00:00')).name,
          String(d.nextMilestone({...ticket, status: 'resolved'}, at('10:00:00')))]);
        """);
    assertEquals(List.of("ok", "risk", "late", "ok", "ok", "risk", "late", "met", "met-late", "settle", "null"),
        states);
  }

  @Test
  @DisplayName("a wrong password keeps the sign-in form with a message and stores no token")
  void wrongPassword() {
    signIn(laptop, "admin", "not-the-password");

    WebElement error = laptop.waitForVisible(By.id("sign-in-error"));
    assertEquals("用户名或密码错误", error.getText());
    assertEquals(null, laptop.script("return sessionStorage.getItem('koi.console.token')"));
    assertFalse(laptop.findAll(By.id("desk")).get(0).isDisplayed());
  }

  @Test
  @DisplayName("a token the server no longer accepts brings back the sign-in form")
  void expiredTokenSignsInAgain() {
    laptop.open(url("/console"));
    laptop.script("sessionStorage.setItem('koi.console.token', 'expired-or-forged-token')");
    laptop.reload();

    WebElement error = laptop.waitForVisible(By.id("sign-in-error"));
    assertEquals("登录已失效，请重新登录", error.getText());
    assertEquals(null, laptop.script("return sessionStorage.getItem('koi.console.token')"));
  }

  @Test
  @DisplayName("an admin creates a user and a department, reads unmet questions, stale guidance and the month's"
      + " report with its CSV, and rejects a guidance proposal; an adviser is not offered the admin pages")
  void adminSection() throws Exception {
    String ticketDepartment = departmentOfNewTickets();
    String name = adviser(ticketDepartment);
    long ticketId = newTicket(new Owner(), ASK_FOR_PERSON + " 建议 " + USERS.incrementAndGet()).getLong("id");
    api("POST", "/api/v1/tickets/" + ticketId + "/resolve", adminToken, new JsonObject().put("proposal",
        new JsonObject().put("title", "分期缴纳罚款怎么申请").put("answer", "向作出处罚决定的机关书面申请。")));
    long proposalId = api("GET", "/api/v1/admin/proposals", adminToken, null).getJsonArray("proposals").stream()
        .map(JsonObject.class::cast).filter(p -> p.getLong("ticketId") == ticketId).findFirst().orElseThrow()
        .getLong("id");
    signInAndWaitForQueue(laptop, name);
    assertFalse(laptop.findAll(By.id("nav-admin")).get(0).isDisplayed());

    signIn(laptop, "admin", TestService.ADMIN_PASSWORD);
    laptop.waitForVisible(By.id("nav-admin")).click();
    laptop.waitForVisible(By.id("tab-users"));
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("user-list"), name));
    String newcomer = "newcomer" + USERS.incrementAndGet();
    laptop.waitForVisible(By.id("new-username")).sendKeys(newcomer);
    laptop.waitForVisible(By.id("new-password")).sendKeys(PASSWORD);
    laptop.waitForVisible(By.cssSelector("#new-departments input")).click();
    laptop.waitForVisible(By.cssSelector("#user-form button[type=submit]")).click();
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("user-list"), newcomer));
    assertFalse(service.login(newcomer, PASSWORD).isEmpty(), "the new user can sign in");

    laptop.waitForVisible(By.cssSelector(".admin-tabs a[data-tab='departments']")).click();
    String department = "新部门" + USERS.incrementAndGet();
    laptop.waitForVisible(By.id("new-department")).sendKeys(department);
    laptop.waitForVisible(By.cssSelector("#department-form button[type=submit]")).click();
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("department-list"), department));

    laptop.waitForVisible(By.cssSelector(".admin-tabs a[data-tab='unmet']")).click();
    laptop.waitUntil(ExpectedConditions.textMatches(By.id("unmet-summary"),
        java.util.regex.Pattern.compile("共 \\d+ 个问题，归为 \\d+ 组")));
    laptop.waitForVisible(By.cssSelector(".admin-tabs a[data-tab='stale']")).click();
    laptop.waitUntil(ExpectedConditions.textMatches(By.id("stale-summary"),
        java.util.regex.Pattern.compile("超过 \\d+ 个月未复核的指引：\\d+ 篇")));

    laptop.waitForVisible(By.cssSelector(".admin-tabs a[data-tab='report']")).click();
    WebElement report = laptop.waitForVisible(By.cssSelector("#report-table table"));
    assertTrue(report.getText().contains(ticketDepartment) && report.getText().contains("合计"), report.getText());
    String csv = laptop.waitForVisible(By.id("report-csv")).getDomAttribute("href");
    assertTrue(csv.startsWith("/api/v1/admin/report.csv?month="), csv);
    assertEquals("200 text/csv", laptop.script("return fetch(arguments[0], {headers: {Authorization: 'Bearer '"
        + " + sessionStorage.getItem('koi.console.token')}}).then(r => r.status + ' '"
        + " + r.headers.get('Content-Type').split(';')[0])", csv), "the link names a CSV the admin may read");

    laptop.waitForVisible(By.cssSelector(".admin-tabs a[data-tab='proposals']")).click();
    By proposal = By.cssSelector("#proposal-list .proposal[data-id='" + proposalId + "']");
    laptop.waitForVisible(proposal).findElement(By.cssSelector("button.danger")).click();
    WebElement rejectForm = laptop.waitForVisible(By.cssSelector("#proposal-list .proposal[data-id='" + proposalId
        + "'] form:not([hidden])"));
    rejectForm.findElement(By.tagName("textarea")).sendKeys("已有指引覆盖这个问题");
    rejectForm.findElement(By.cssSelector("button[type=submit]")).click();
    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(proposal, "已驳回"));
  }

  @Test
  @DisplayName("an admin completes a guidance proposal in its form and publishes it as a guidance page")
  void publishProposal() throws Exception {
    departmentOfNewTickets();
    long ticketId = newTicket(new Owner(), ASK_FOR_PERSON + " 发布 " + USERS.incrementAndGet()).getLong("id");
    api("POST", "/api/v1/tickets/" + ticketId + "/resolve", adminToken, new JsonObject().put("proposal",
        new JsonObject().put("title", "罚款可以申请分期缴纳").put("answer", "确有经济困难的，可以申请暂缓或者分期缴纳。")));
    long proposalId = api("GET", "/api/v1/admin/proposals", adminToken, null).getJsonArray("proposals").stream()
        .map(JsonObject.class::cast).filter(p -> p.getLong("ticketId") == ticketId).findFirst().orElseThrow()
        .getLong("id");
    signIn(laptop, "admin", TestService.ADMIN_PASSWORD);
    laptop.waitForVisible(By.id("nav-admin")).click();
    laptop.waitForVisible(By.cssSelector(".admin-tabs a[data-tab='proposals']")).click();

    By item = By.cssSelector("#proposal-list .proposal[data-id='" + proposalId + "']");
    laptop.waitForVisible(item).findElement(By.cssSelector("button.review")).click();
    WebElement form = laptop.waitForVisible(By.cssSelector("#proposal-list .proposal[data-id='" + proposalId
        + "'] form:not([hidden])"));
    List<WebElement> inputs = form.findElements(By.cssSelector("input, textarea"));
    String docId = "fine-instalments-" + USERS.incrementAndGet();
    inputs.get(0).sendKeys(docId);
    assertEquals("罚款可以申请分期缴纳", inputs.get(1).getDomProperty("value"), "the proposal's title is the start");
    inputs.get(2).sendKeys("执法与处罚");
    inputs.get(3).sendKeys("\n罚款交不起可以分期吗\n罚款能不能晚点交");
    inputs.get(4).sendKeys("《中华人民共和国行政处罚法》第六十六条");
    laptop.script("arguments[0].value = '2021-07-15'", inputs.get(5));
    inputs.get(7).sendKeys("当事人确有经济困难，需要延期或者分期缴纳罚款的，经当事人申请和行政机关批准，可以暂缓或者分期缴纳。");
    form.findElement(By.cssSelector("button[type=submit]")).click();

    laptop.waitUntil(ExpectedConditions.textToBePresentInElementLocated(item, "已发布"));
    WebElement link = laptop.waitForVisible(By.cssSelector("#proposal-list .proposal[data-id='" + proposalId
        + "'] a[href='/guidance/" + docId + "']"));
    assertTrue(link.getText().contains(docId), link.getText());
  }

  @Test
  @DisplayName("the console's page, script and style are served under the policy that allows no inline script")
  void servedWithPolicy() throws Exception {
    List<String> paths = new java.util.ArrayList<>(List.of("/console", "/static/console.js", "/static/console.css"));
    ConsolePage.MODULES.forEach(name -> paths.add("/static/console/" + name + ".js"));
    for (String path : paths) {
      HttpResponse<Buffer> r = await(service.client.get(path).send());
      assertEquals(200, r.statusCode(), path);
      assertEquals(PageAsset.POLICY, r.getHeader("Content-Security-Policy"), path);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      HttpResponse<Buffer> again = await(service.client.get(path).putHeader("If-None-Match", r.getHeader("ETag"))
          .send());
      assertEquals(304, again.statusCode(), path + " unchanged is not sent again");
    }
  }

  @Test
  @DisplayName("none of the console's scripts turns text into HTML")
  void scriptWritesTextOnly() throws Exception {
    List<String> files = new java.util.ArrayList<>(List.of("console.js"));
    ConsolePage.MODULES.forEach(name -> files.add("console/" + name + ".js"));
    for (String file : files) {
      String script;
      try (InputStream in = ConsolePage.class.getResourceAsStream("/web/" + file)) {
        script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      for (String parser : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
          "new Function", "DOMParser", "createContextualFragment")) {
        assertFalse(script.contains(parser), file + " uses " + parser);
      }
    }
  }
}
