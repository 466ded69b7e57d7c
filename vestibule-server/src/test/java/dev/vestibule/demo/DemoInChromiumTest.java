package dev.vestibule.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vestibule.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo in a real headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded):
 * register, log in, see the users page, outlive the access token, still load notes, log out, and be sent
 * to login by a protected page. A screenshot is kept under target/screenshots when a step fails.
 */
class DemoInChromiumTest {
  private static final String PASSWORD = "browser-tested passphrase 7";
  private static final Duration ACCESS_TOKEN_TTL = Duration.ofSeconds(4);

  @TempDir Path data;
  @TempDir Path profile;
  private EmbeddedDefault embedded;
  private WebDriver browser;
  private WebDriverWait wait;
  private String base;

  @BeforeEach
  void start() throws Exception {
    embedded = EmbeddedDefault.start(data, "127.0.0.1:0", Clock.systemUTC(),
        new EmbeddedDefault.Timing(ACCESS_TOKEN_TTL.toSeconds() + "s", "1s"));
    base = "http://localhost:" + embedded.port();
    browser = Chromium.start(profile);
    wait = new WebDriverWait(browser, Duration.ofSeconds(15));
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (embedded != null) embedded.stop().await();
  }

  @Test
  void registerLoginOutliveTheAccessTokenAndLogOut(TestInfo test) throws Exception {
    try {
      browser.get(base + "/register");
      type("name", "Bea");
      type("email", "bea@example.com");
      type("password", PASSWORD);
      browser.findElement(By.id("submit")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/notes"));

      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
      type("email", "bea@example.com");
      type("password", PASSWORD);
      browser.findElement(By.id("submit")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/notes"));

      browser.get(base + "/users");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "bea@example.com"));

      browser.get(base + "/notes");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token"), "valid until"));
      String tokenBefore = browser.findElement(By.id("token")).getText();
      Thread.sleep(ACCESS_TOKEN_TTL.plusSeconds(1).toMillis());

      type("text", "written after the token expired");
      browser.findElement(By.id("submit")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes"), "written after the token expired"));
      wait.until(driver -> !driver.findElement(By.id("token")).getText().equals(tokenBefore));
      assertThat(browser.getCurrentUrl()).isEqualTo(base + "/notes");
      List<WebElement> notes = browser.findElements(By.cssSelector("#notes li"));
      assertThat(notes).hasSize(1);

      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
      browser.get(base + "/notes");
      wait.until(ExpectedConditions.urlToBe(base + "/login?returnTo=%2Fnotes"));
      assertThat(browser.manage().getCookieNamed("vestibule")).isNull();
    } catch (AssertionError | RuntimeException | InterruptedException e) {
      screenshot(test);
      throw e;
    }
  }

  @Test
  void turnOnMfaLogInWithTheMailedCodeThenWithAMailedLink(TestInfo test) throws Exception {
    LogOutbox outbox = LogOutbox.attach();
    try {
      browser.get(base + "/register");
      type("name", "Cam");
      type("email", "cam@example.com");
      type("password", PASSWORD);
      browser.findElement(By.id("submit")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/notes"));

      browser.get(base + "/");
      WebElement mfa = wait.until(ExpectedConditions.elementToBeClickable(By.id("mfa")));
      assertThat(mfa.isSelected()).isFalse();
      mfa.click();
      wait.until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "demo.session().then(s => done(s && s.user.mfaEnabled === true));")));

      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
      type("email", "cam@example.com");
      type("password", PASSWORD);
      browser.findElement(By.id("submit")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("mfa-code")));
      assertThat(browser.manage().getCookieNamed("vestibule")).isNull();
      type("mfa-code", outbox.awaitCode("cam@example.com"));
      browser.findElement(By.id("verify")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/notes"));

      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
      browser.get(base + "/login?returnTo=%2Fusers");
      type("email", "cam@example.com");
      browser.findElement(By.id("link")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "on its way"));
      // Listening on port 0, the embedded default's public URL names port 0: the link's path and token are what count.
      String link = base + outbox.awaitLink("cam@example.com").replaceFirst("^https?://[^/]+", "");
      browser.get(link);
      wait.until(ExpectedConditions.urlToBe(base + "/users"));
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), "cam@example.com"));

      browser.get(link);
      wait.until(ExpectedConditions.urlToBe(base + "/login?error=link-invalid"));
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "invalid, used or expired"));
    } catch (AssertionError | RuntimeException | InterruptedException e) {
      screenshot(test);
      throw e;
    } finally {
      outbox.detach();
    }
  }

  @Test
  void theLoginPageOnlyEverReturnsToAPathOfThisSite() {
    Map<String, String> returnTo = new LinkedHashMap<>();
    returnTo.put("%2Fusers%3Fpage%3D2", "/users?page=2");
    for (String attack : List.of("%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example",
        "%2F%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example", "javascript%3Aalert(1)",
        "%09%2F%2Fevil.example", "%2F%E2%80%AE%2Fevil.example")) {
      returnTo.put(attack, "/notes");
    }
    returnTo.forEach((query, expected) -> {
      browser.get(base + "/login?returnTo=" + query);
      Object chosen = ((JavascriptExecutor) browser).executeScript("return demo.returnTo();");
      assertThat(chosen).as(query).isEqualTo(expected);
    });
  }

  private void type(String id, String text) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    field.clear();
    field.sendKeys(text);
  }

  private void screenshot(TestInfo test) {
    try {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      Path file = dir.resolve(test.getDisplayName().replaceAll("\\W+", "_") + ".png");
      Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      System.err.println("screenshot of the failure: " + file.toAbsolutePath() + " at " + browser.getCurrentUrl());
    } catch (Exception ignored) {
      // the test's own failure is what matters
    }
  }
}
