package dev.ghostnet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page at {@code /} in headless Chromium (Debian's chromium and chromium-driver, which
 * {@code scripts/provision-chromium.sh} installs): pick or drop an image, see the top five as bars with the
 * latency, and a readable error for a file that is not an image.
 */
class BrowserPageTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("GHOSTNET_CHROMIUM", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("GHOSTNET_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static InferenceServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void start(@TempDir Path profile) {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "headless Chromium is needed: "
                + CHROMIUM + " and " + DRIVER + " (run scripts/provision-chromium.sh, or set GHOSTNET_CHROMIUM and"
                + " GHOSTNET_CHROMEDRIVER)");
        server = InferenceServer.start(TestServers.config(), TestServers.engine());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking switches Chromium tries to reach Google's services, which a
        // closed network refuses; a fresh profile keeps runs independent.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1000,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static List<WebElement> awaitBars() {
        return new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> {
            List<WebElement> bars = d.findElements(By.cssSelector("#results .bar"));
            return bars.size() == 5 ? bars : null;
        });
    }

    private static void assertBarsMatchTheApi(List<WebElement> bars) {
        JsonNode reply = TestServers.json(TestServers.post(server, "/v1/classify?topk=5", TestServers.chelsea(), "image/png"));
        for (int i = 0; i < 5; i++) {
            JsonNode p = reply.get("predictions").get(i);
            WebElement bar = bars.get(i);
            assertEquals(p.get("index").asText(), bar.getAttribute("data-index"), "bar " + i);
            assertEquals(p.get("label").asText(), bar.findElement(By.className("label")).getText(), "bar " + i);
            String percent = String.format(java.util.Locale.ROOT, "%.1f%%", 100 * p.get("probability").asDouble());
            assertEquals(percent, bar.findElement(By.className("pct")).getText(), "bar " + i);
        }
        String latency = browser.findElement(By.id("latency")).getText();
        assertTrue(latency.matches("round trip \\d+ ms \\(server: inference [\\d.]+ ms.*"), latency);
    }

    @Test
    void pickingAnImageShowsTheTopFiveAsBarsWithTheLatency() throws Exception {
        browser.get(TestServers.uri(server, "/").toString());
        assertEquals("GhostNet", browser.getTitle());
        browser.findElement(By.id("file")).sendKeys(TestServers.CHELSEA.toAbsolutePath().normalize().toString());
        List<WebElement> bars = awaitBars();
        assertBarsMatchTheApi(bars);
        assertTrue(browser.findElement(By.id("untrained")).isDisplayed(), "the seeded model is flagged untrained");
        Path shot = Path.of("target", "page-screenshot.png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void droppingAnImageWorksLikePickingIt() {
        browser.get(TestServers.uri(server, "/").toString());
        String base64 = Base64.getEncoder().encodeToString(TestServers.chelsea());
        ((JavascriptExecutor) browser).executeScript(
                "const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
                        + "const data = new DataTransfer();"
                        + "data.items.add(new File([bytes], 'chelsea.png', {type: 'image/png'}));"
                        + "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: data,"
                        + " bubbles: true, cancelable: true}));", base64);
        assertBarsMatchTheApi(awaitBars());
    }

    @Test
    void aFileThatIsNotAnImageShowsTheServersReason(@TempDir Path dir) throws Exception {
        browser.get(TestServers.uri(server, "/").toString());
        File notes = Files.writeString(dir.resolve("notes.png"), "not really a picture").toFile();
        browser.findElement(By.id("file")).sendKeys(notes.getAbsolutePath());
        String error = new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
            String text = d.findElement(By.id("error")).getText();
            return text.isEmpty() ? null : text;
        });
        assertTrue(error.contains("not a readable PNG or JPEG image"), error);
        assertEquals(0, browser.findElements(By.cssSelector("#results .bar")).size());
    }
}
