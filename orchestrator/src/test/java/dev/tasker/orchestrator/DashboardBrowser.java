package dev.tasker.orchestrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver, for the dashboard's tests. Both
 * paths are given to Selenium so that Selenium Manager never tries to download a browser or a
 * driver. Collects what the page reports as errors two ways: the browser's console log (which
 * also has failed resource loads, such as a missing favicon) and a collector installed before any
 * page script runs (uncaught errors, rejected promises, console.error).
 */
final class DashboardBrowser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static final String COLLECTOR = """
      window.__taskerErrors = [];
      window.addEventListener('error', e => window.__taskerErrors.push('error: ' + (e.message || e.type)));
      window.addEventListener('unhandledrejection', e => window.__taskerErrors.push('unhandled rejection: ' + e.reason));
      const consoleError = console.error;
      console.error = function (...args) {
        window.__taskerErrors.push('console.error: ' + args.join(' '));
        return consoleError.apply(console, args);
      };
      """;

  private final ChromeDriver driver;
  private final String baseUrl;

  /** Fails, naming the fix, when Chromium or its driver is not installed. */
  static void requireInstalled() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add(CHROMIUM + " (Debian package chromium)");
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      missing.add(CHROMEDRIVER + " (Debian package chromium-driver)");
    }
    if (!missing.isEmpty()) {
      throw new AssertionError("The dashboard's browser test needs " + String.join(" and ", missing)
          + ". ./tasker test installs them (scripts/run-tests); or run: "
          + "apt-get -o DPkg::Lock::Timeout=600 install -y chromium chromium-driver");
    }
  }

  DashboardBrowser(String baseUrl) {
    requireInstalled();
    this.baseUrl = baseUrl;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // As root Chromium refuses to start without --no-sandbox; there is no GPU here.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,1000", "--force-device-scale-factor=1", "--lang=en-US");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COLLECTOR));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens the dashboard at a hash route, such as {@code #/tasks}, loading the page afresh. */
  void open(String hashRoute) {
    openAt(baseUrl, hashRoute);
  }

  /** The same on another orchestrator's dashboard. */
  void openAt(String url, String hashRoute) {
    driver.get("about:blank");
    driver.get(url + "/" + hashRoute);
  }

  /** The element once visible; on a timeout, the error names what the page reported. */
  WebElement await(By locator) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(locator));
    } catch (TimeoutException e) {
      throw new AssertionError("no visible " + locator + " on " + driver.getCurrentUrl() + "; the page reported "
          + errors() + " and shows: " + driver.findElement(By.tagName("main")).getText(), e);
    }
  }

  void awaitCondition(Duration timeout, Function<ChromeDriver, Boolean> condition) {
    try {
      new WebDriverWait(driver, timeout).until(d -> condition.apply(driver));
    } catch (TimeoutException e) {
      throw new AssertionError("waited " + timeout + " on " + driver.getCurrentUrl() + "; the page reported "
          + errors(), e);
    }
  }

  /** Everything reported as an error since the last call: severe console entries and the collector's. */
  List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add("console: " + entry.getMessage());
      }
    }
    Object collected = driver.executeScript(
        "const e = window.__taskerErrors || []; window.__taskerErrors = []; return e;");
    if (collected instanceof List<?> list) {
      list.forEach(item -> errors.add(String.valueOf(item)));
    }
    return errors;
  }

  /** The console's entries since the last read, for checking that the log can be read at all. */
  List<LogEntry> consoleEntries() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** Saves the whole page, beyond the window's height, as a PNG. */
  void screenshot(Path file) throws IOException {
    List<?> size = (List<?>) driver.executeScript(
        "return [document.documentElement.clientWidth, document.documentElement.scrollHeight]");
    long width = ((Number) size.get(0)).longValue();
    long height = Math.min(4000, ((Number) size.get(1)).longValue());
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
