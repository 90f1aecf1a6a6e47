package cn.legalkoi.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium the size of a phone or a laptop, driven through chromedriver. Both come from Debian's
 * {@code chromium} and {@code chromium-driver} packages at fixed paths, so Selenium Manager is never asked to find or
 * download either.
 * Use it from the test thread only: every call waits on the browser.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** CSS pixels of a common phone's viewport (iPhone 12–15), drawn at one device pixel each for small screenshots. */
  public static final int PHONE_WIDTH = 390;
  public static final int PHONE_HEIGHT = 844;
  /** How long a wait may take on a busy 2-core machine before the test fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final ChromeDriverService driverService;
  private final ChromeDriver driver;

  private Browser(ChromeDriverService driverService, ChromeDriver driver) {
    this.driverService = driverService;
    this.driver = driver;
  }

  /** CSS pixels of a common laptop's window. */
  public static final int LAPTOP_WIDTH = 1366;
  public static final int LAPTOP_HEIGHT = 768;

  /** Starts the browser, or fails the test, naming the packages to install, when Chromium or its driver is missing. */
  public static Browser phone() {
    return start(PHONE_WIDTH, PHONE_HEIGHT, true);
  }

  /** A desktop browser window the size of a laptop's screen, with a mouse rather than touch. */
  public static Browser laptop() {
    return start(LAPTOP_WIDTH, LAPTOP_HEIGHT, false);
  }

  private static Browser start(int width, int height, boolean mobile) {
    for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(binary)) {
        throw new AssertionError("Browser tests need " + binary + " from Debian's chromium and chromium-driver "
            + "packages: apt-get install chromium chromium-driver fonts-noto-cjk (.ci/run installs them)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
        "--window-size=" + width + "," + height, "--no-first-run", "--disable-extensions");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "zh-CN,zh"));
    // the viewport at one device pixel per CSS pixel; on a phone the page's <meta name="viewport"> is obeyed
    options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
        Map.of("width", width, "height", height, "pixelRatio", 1.0, "mobile", mobile, "touch", mobile)));
    // an alert stays open for the test to see, instead of being dismissed by the next command
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    options.setPageLoadTimeout(TIMEOUT);
    options.setScriptTimeout(TIMEOUT);
    ChromeDriverService driverService = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    try {
      return new Browser(driverService, new ChromeDriver(driverService, options));
    } catch (RuntimeException e) {
      driverService.stop();
      throw e;
    }
  }

  /** Opens {@code url} and returns when the page has loaded. */
  public void open(String url) {
    driver.get(url);
  }

  /** Opens the current page again, as a reader pulling to refresh does. */
  public void reload() {
    driver.navigate().refresh();
  }

  /** Forgets every cookie, so that the next page starts a new session. */
  public void deleteCookies() {
    driver.manage().deleteAllCookies();
  }

  /** Waits until {@code condition} gives something other than null or false, and returns that. */
  public <T> T waitUntil(ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, TIMEOUT).until(condition);
  }

  /** The elements on the page now, displayed or not. */
  public List<WebElement> findAll(By locator) {
    return driver.findElements(locator);
  }

  /** The element, once it is displayed. */
  public WebElement waitForVisible(By locator) {
    return new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  /** Waits until the page's visible text contains {@code text}. */
  public void waitForText(String text) {
    new WebDriverWait(driver, TIMEOUT).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
        text));
  }

  /** The text a reader sees on the page, as the browser lays it out (hidden elements left out). */
  public String visibleText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  public String title() {
    return driver.getTitle();
  }

  /** Runs {@code script} in the page as a function body; {@code arguments[i]} are the arguments. */
  public Object script(String script, Object... arguments) {
    return driver.executeScript(script, arguments);
  }

  /** The text of the open alert, confirm or prompt, if the page opened one. */
  public Optional<String> openAlert() {
    try {
      return Optional.of(driver.switchTo().alert().getText());
    } catch (NoAlertPresentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether each of {@code characters}, drawn in the font {@code element} is shown in, looks different from the others.
   * Without a font for a script, every character of it is drawn as the same empty box.
   */
  public boolean drawsDistinctGlyphs(WebElement element, String characters) {
    Object distinct = driver.executeScript("""
        const font = getComputedStyle(arguments[0]).font;
        const images = new Set();
        for (const c of arguments[1]) {
          const canvas = document.createElement('canvas');
          canvas.width = 64;
          canvas.height = 64;
          const g = canvas.getContext('2d');
          g.font = font;
          g.textBaseline = 'top';
          g.fillText(c, 4, 4);
          images.add(canvas.toDataURL());
        }
        return images.size === [...arguments[1]].length;
        """, element, characters);
    return Boolean.TRUE.equals(distinct);
  }

  /** Saves what the viewport shows as a PNG. */
  public void saveScreenshot(Path png) throws IOException {
    Path parent = png.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      driverService.stop();
    }
  }
}
