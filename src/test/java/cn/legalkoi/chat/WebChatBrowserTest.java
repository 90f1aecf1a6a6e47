package cn.legalkoi.chat;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Browser;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The owners' web chat on a phone: the real service and its fixture guidance in a real headless Chromium. */
class WebChatBrowserTest {
  /** Written on every run and kept in the repository, so a change to the page shows in review. */
  static final Path SCREENSHOT = Path.of("docs/screenshots/web-chat-phone.png");
  static final String TITLE = "法治锦鲤 · 企业法律助手";
  static final String QUESTION = "员工没签书面劳动合同，老板要付二倍工资吗";
  static final String GUIDANCE_LINK = "https://koi.example.test/guidance/double-wages";
  /** Close to two fixture topics (分期缴纳罚款, 首次违法不罚), so the bot asks which one is meant. */
  static final String AMBIGUOUS = "第一次被罚款能分期吗";
  static final String HTML = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>";
  static final String CITATION = ".*《[^》]+》第[一二三四五六七八九十百零]+条.*";
  /** A line of the conversation, not the greeting the page always shows first. */
  static final String LINE = "#lines .line:not(.welcome):not(.typing)";

  @TempDir
  static Path dir;
  static Browser browser;
  static Vertx vertx;
  static TestService service;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.phone();
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
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

  /** Each test is a new owner: a browser without the session cookie, on the chat page. */
  @BeforeEach
  void newOwner() {
    browser.open(url("/static/chat.css"));
    browser.deleteCookies();
    browser.open(url("/"));
    browser.waitForVisible(By.id("input"));
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + service.app.port() + path;
  }

  private static WebElement input() {
    return browser.waitForVisible(By.id("input"));
  }

  /** The {@code n}th line (from 1) the bot wrote, once it is there. */
  private static WebElement botLine(int n) {
    By line = By.cssSelector(LINE + ".bot");
    browser.waitUntil(ExpectedConditions.numberOfElementsToBeMoreThan(line, n - 1));
    return browser.findAll(line).get(n - 1);
  }

  /** The {@code n}th bot line, which must be of {@code kind} (answer, clarify, escalate …). */
  private static WebElement botLine(int n, String kind) {
    WebElement reply = botLine(n);
    List<String> classes = List.of(reply.getDomAttribute("class").split(" "));
    assertTrue(classes.contains(kind), "expected a " + kind + " reply, got " + classes + ": " + reply.getText());
    return reply;
  }

  private static List<String> shownLines() {
    return browser.findAll(By.cssSelector(LINE)).stream().map(WebElement::getText).toList();
  }

  @Test
  @DisplayName("a question typed on a phone is answered with its legal basis and a tappable guidance link, all within"
      + " the phone's width")
  void answersOnPhone() throws Exception {
    WebElement send = browser.waitForVisible(By.id("send"));
    assertFalse(send.isEnabled(), "the send button waits for a question");
    input().sendKeys(QUESTION);
    assertTrue(send.isEnabled());
    input().sendKeys(Keys.ENTER);

    WebElement answer = botLine(1, "answer");
    WebElement link = answer.findElement(By.cssSelector("a[href='" + GUIDANCE_LINK + "']"));
    browser.waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.id("typing")));
    browser.saveScreenshot(SCREENSHOT); // before the checks, so that a failure leaves a picture of it
    assertEquals(TITLE, browser.title());
    assertEquals("", input().getAttribute("value"), "the input is emptied once sent");
    assertFalse(send.isEnabled());
    WebElement question = browser.findAll(By.cssSelector(LINE + ".owner")).get(0);
    assertEquals(QUESTION, question.getText());
    assertTrue(answer.getText().matches("(?s)" + CITATION), answer.getText());
    assertEquals(GUIDANCE_LINK, link.getText());
    assertEquals("_blank", link.getDomAttribute("target"));
    assertTrue(link.getDomAttribute("rel").contains("noopener"), link.getDomAttribute("rel"));

    assertEquals(Browser.PHONE_WIDTH, ((Number) browser.script("return window.innerWidth")).intValue(),
        "the page is laid out at the phone's width (it has a viewport meta tag)");
    long scrollWidth = ((Number) browser.script("return document.documentElement.scrollWidth")).longValue();
    assertTrue(scrollWidth <= Browser.PHONE_WIDTH, "no horizontal scrolling, but scrollWidth is " + scrollWidth);
    for (WebElement e : List.of(link, answer, question, input(), send)) {
      int left = e.getRect().getX();
      int right = left + e.getRect().getWidth();
      assertTrue(e.isDisplayed() && left >= 0 && right <= Browser.PHONE_WIDTH,
          e.getText() + " spans x " + left + ".." + right);
    }
    WebElement ownBubble = question.findElement(By.className("bubble"));
    WebElement botBubble = answer.findElement(By.className("bubble"));
    assertTrue(ownBubble.getRect().getX() + ownBubble.getRect().getWidth() > Browser.PHONE_WIDTH - 30,
        "the owner's message is on the right");
    assertTrue(botBubble.getRect().getX() < 30, "the reply is on the left");
    int composerBottom = send.getRect().getY() + send.getRect().getHeight();
    assertTrue(composerBottom <= Browser.PHONE_HEIGHT, "the send button is on screen, bottom at " + composerBottom);
    WebElement header = browser.waitForVisible(By.tagName("h1"));
    assertEquals(TITLE, header.getText());
    assertTrue(browser.drawsDistinctGlyphs(botBubble, "没签劳动合同法"),
        "Chinese is drawn as empty boxes: install a CJK font (Debian fonts-noto-cjk; .ci/run does)");
  }

  @Test
  @DisplayName("tapping 人工 asks for a person, and the bot hands the conversation over")
  void askForPerson() {
    browser.waitForVisible(By.cssSelector("button[data-say='人工']")).click();

    WebElement reply = botLine(1, "escalate");
    assertEquals("人工", browser.findAll(By.cssSelector(LINE + ".owner")).get(0).getText());
    assertTrue(reply.getText().contains("顾问"), reply.getText());
  }

  @Test
  @DisplayName("a close call offers numbered topics with a button each, and tapping one answers from that topic")
  void clarifyByTapping() {
    input().sendKeys(AMBIGUOUS, Keys.ENTER);

    WebElement clarify = botLine(1, "clarify");
    List<WebElement> choices = clarify.findElements(By.cssSelector(".choices button"));
    assertEquals(List.of("1", "2"), choices.stream().map(WebElement::getText).toList());
    choices.get(1).click();

    WebElement answer = botLine(2, "answer");
    assertEquals("2", browser.findAll(By.cssSelector(LINE + ".owner")).get(1).getText());
    assertTrue(answer.findElements(By.cssSelector("a[href='https://koi.example.test/guidance/first-offence']"))
        .size() == 1, answer.getText());
    assertTrue(choices.stream().noneMatch(WebElement::isEnabled), "an answered prompt cannot be picked from again");
  }

  @Test
  @DisplayName("the conversation is still there after the page is loaded again (the session is a cookie)")
  void historySurvivesReload() {
    input().sendKeys(QUESTION, Keys.ENTER);
    botLine(1, "answer");
    List<String> before = shownLines();

    browser.reload();

    botLine(1, "answer");
    assertEquals(before, shownLines());
    assertEquals(2, before.size(), before.toString());
  }

  @Test
  @DisplayName("HTML in a message is shown as the text it is: no element is made and no script runs")
  void htmlIsText() throws Exception {
    input().sendKeys(HTML);
    browser.waitForVisible(By.id("send")).click();
    botLine(1);

    for (int load = 0; load < 2; load++) {
      WebElement own = browser.findAll(By.cssSelector(LINE + ".owner")).get(0);
      assertEquals(HTML, own.getText());
      Optional<String> alert = browser.openAlert();
      assertFalse(alert.isPresent(), "the page opened an alert: " + alert.orElse(""));
      assertEquals(TITLE, browser.title());
      assertEquals(0L, browser.script("return document.querySelectorAll('#lines img, #lines script').length"));
      browser.reload(); // and as the history shows it
      botLine(1);
    }
  }

  @Test
  @DisplayName("a message whose reply was lost on the way is sent again with the same id and answered once")
  void resendWithSameId() {
    // the first POST reaches the server, but the page sees a network error, as on a train going into a tunnel
    browser.script("""
        const realFetch = window.fetch;
        window.sentBodies = [];
        window.fetch = async (url, options) => {
          if (options && options.method === 'POST') {
            window.sentBodies.push(JSON.parse(options.body));
            const response = await realFetch(url, options);
            if (window.sentBodies.length === 1) {
              throw new TypeError('Failed to fetch');
            }
            return response;
          }
          return realFetch(url, options);
        };
        """);
    input().sendKeys(QUESTION, Keys.ENTER);

    botLine(1, "answer");
    browser.waitUntil(d -> ((Number) browser.script("return window.sentBodies.length")).intValue() >= 2);
    browser.waitUntil(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".state")));
    assertEquals(Boolean.TRUE, browser.script(
        "return window.sentBodies[0].id === window.sentBodies[1].id && /^[A-Za-z0-9-]{8,64}$/.test("
            + "window.sentBodies[0].id)"));
    browser.reload();
    botLine(1, "answer");
    assertEquals(2, shownLines().size(), "one question, one answer: " + shownLines());
  }

  @Test
  @DisplayName("the page and its script are served under a policy that allows no inline script")
  void servedWithPolicy() throws Exception {
    for (String path : List.of("/", "/index.html", "/static/chat.js", "/static/chat.css")) {
      HttpResponse<Buffer> r = await(service.client.get(path).send());
      assertEquals(200, r.statusCode(), path);
      assertEquals(WebChatPage.POLICY, r.getHeader("Content-Security-Policy"), path);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      HttpResponse<Buffer> again = await(service.client.get(path).putHeader("If-None-Match", r.getHeader("ETag"))
          .send());
      assertEquals(304, again.statusCode(), path + " unchanged is not sent again");
    }
    assertTrue(WebChatPage.POLICY.contains("script-src 'self'") && !WebChatPage.POLICY.contains("unsafe"));
  }
}
