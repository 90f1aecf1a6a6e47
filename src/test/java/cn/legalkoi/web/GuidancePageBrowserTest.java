package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Browser;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The page a chat reply links to, as an owner's phone shows it: the real service in a real headless Chromium. */
class GuidancePageBrowserTest {
  /** Written on every run and kept in the repository, so a change to the page shows in review. */
  static final Path SCREENSHOT = Path.of("docs/screenshots/guidance-phone.png");
  static final String NOT_FOUND_TITLE = "没有找到 · 法治锦鲤";

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

  private static String url(String path) {
    return "http://127.0.0.1:" + service.app.port() + path;
  }

  @Test
  @DisplayName("a guidance page shows its title, short answer and legal basis in Chinese, within a phone's width")
  void guidanceOnPhone() throws Exception {
    browser.open(url("/guidance/double-wages"));

    WebElement title = browser.waitForVisible(By.tagName("h1"));
    WebElement shortAnswer = browser.waitForVisible(By.cssSelector("section.short p"));
    WebElement basis = browser.waitForVisible(
        By.xpath("//section[h2='法律依据']//li[contains(., '《中华人民共和国劳动合同法》第八十二条')]"));
    browser.saveScreenshot(SCREENSHOT); // before the checks, so that a failure leaves a picture of it
    assertEquals("没签书面劳动合同要付二倍工资", title.getText());
    assertEquals("没签书面劳动合同要付二倍工资 · 法治锦鲤", browser.title());
    assertTrue(shortAnswer.getText().contains("用工超过一个月不满一年未订立书面劳动合同的，应当每月支付二倍工资"),
        shortAnswer.getText());
    assertTrue(basis.getText().matches("《[^》]+》第[一二三四五六七八九十百零]+条.*"), basis.getText());
    String text = browser.visibleText();
    for (String part : new String[] {"简要回答", "详细说明", "法律依据", "办理指引", "《中华人民共和国劳动合同法》第十条"}) {
      assertTrue(text.contains(part), part + " not visible in:\n" + text);
    }

    // A phone widens its layout viewport to fit content that overflows (a 600 px block gives innerWidth 608), so
    // the page is measured against the phone's width, not against innerWidth alone.
    assertEquals(Browser.PHONE_WIDTH, ((Number) browser.script("return window.innerWidth")).intValue(),
        "the page is laid out at the phone's width (it has a viewport meta tag)");
    long scrollWidth = ((Number) browser.script("return document.documentElement.scrollWidth")).longValue();
    assertTrue(scrollWidth <= Browser.PHONE_WIDTH, "no horizontal scrolling, but scrollWidth is " + scrollWidth);
    for (WebElement e : new WebElement[] {title, shortAnswer, basis}) {
      int left = e.getRect().getX();
      int right = left + e.getRect().getWidth();
      assertTrue(left >= 0 && right <= Browser.PHONE_WIDTH, e.getText() + " spans x " + left + ".." + right);
    }
    assertTrue(browser.drawsDistinctGlyphs(title, "没签劳动合同法"),
        "Chinese is drawn as empty boxes: install a CJK font (Debian fonts-noto-cjk; .ci/run does)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%3Cscript%3E",
      "%3Cimg%20src=x%20onerror=alert(document.domain)%3E"})
  @DisplayName("a guidance id with HTML in it shows the not-found page as text, and no script runs")
  void htmlInIdRunsNothing(String id) throws Exception {
    browser.open(url("/guidance/" + id));

    browser.waitForText("没有找到这篇指引");
    Optional<String> alert = browser.openAlert();
    assertFalse(alert.isPresent(), "the page opened an alert: " + alert.orElse(""));
    assertEquals(NOT_FOUND_TITLE, browser.title());
    assertEquals(0L, browser.script("return document.scripts.length + document.images.length"));
    assertFalse(browser.visibleText().contains("alert"), browser.visibleText());
    assertEquals(404, await(service.client.get("/guidance/" + id).send()).statusCode());
  }
}
