package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at / in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):
 * an uploaded clip's text, timed words and SRT download; live text from a (fake) microphone over the
 * WebSocket; and the layout of a screenshot checked against the expected arrangement of its parts.
 */
class PageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Pattern SRT_CUE = Pattern.compile(
            "(\\d+)\\n(\\d\\d):(\\d\\d):(\\d\\d),(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d),(\\d{3})\\n(.+)");
    /** Selenium warns that it has no DevTools bindings for this exact Chromium; nothing here uses them. */
    private static final java.util.logging.Logger DEVTOOLS_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");
    private static AsrServer server;
    private static WebDriver driver;
    @TempDir
    static Path profile;
    @TempDir
    static Path downloads;

    @BeforeAll
    static void start() {
        DEVTOOLS_LOG.setLevel(java.util.logging.Level.SEVERE);
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("headless Chromium is needed: apt-get install chromium chromium-driver (.ci/run does)");
        }
        server = TestSupport.start(TestSupport.settings().withStreams(2, 600, 1.0));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,900",
                // A microphone that plays the speech clip, allowed without a prompt.
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + TestSupport.speech().toAbsolutePath().normalize());
        options.setExperimentalOption("prefs", java.util.Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (server != null) server.close();
    }

    private static WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    private static void open() {
        driver.get("http://127.0.0.1:" + server.port() + "/");
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> byId("model").getText().contains(TestSupport.engine().modelId()));
    }

    private static void awaitStatus(String text, int seconds) {
        new WebDriverWait(driver, Duration.ofSeconds(seconds)).until(d -> {
            String s = byId("status").getText();
            if (byId("status").getAttribute("class").contains("error")) throw new AssertionError("page error: " + s);
            return s.startsWith(text);
        });
    }

    @Test
    void uploadShowsTextTimedWordsAndSrt() throws Exception {
        open();
        byId("file").sendKeys(TestSupport.speech().toRealPath().toString());
        byId("transcribe").click();
        awaitStatus("Done", 120);
        Path shot = Path.of("target", "page-screenshots", "page-upload.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

        Engine.Result expected = TestSupport.direct(TestSupport.speech(), Engine.Timing.REQUIRED);
        assertEquals(expected.text().strip(), byId("committed").getText().strip());
        List<WebElement> rows = driver.findElements(By.cssSelector("#words tbody tr"));
        assertEquals(expected.words().size(), rows.size());
        List<WebElement> first = rows.getFirst().findElements(By.tagName("td"));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", expected.words().getFirst().start()), first.get(0).getText());
        assertEquals(expected.words().getFirst().text().strip(), first.get(2).getText().strip());

        WebElement link = byId("download-srt");
        assertFalse(link.getAttribute("class").contains("disabled"));
        assertTrue(link.getAttribute("href").startsWith("blob:"));
        assertEquals("test_speech.srt", link.getAttribute("download"));
        // Click it: the browser saves the file to the download folder.
        link.click();
        Path saved = downloads.resolve("test_speech.srt");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Files.isRegularFile(saved));
        String srt = Files.readString(saved);
        List<Engine.Segment> cues = TestSupport.engine().cues(expected);
        String[] blocks = srt.strip().split("\\n\\n");
        assertEquals(cues.size(), blocks.length, srt);
        for (int i = 0; i < blocks.length; i++) {
            Matcher m = SRT_CUE.matcher(blocks[i]);
            assertTrue(m.matches(), blocks[i]);
            assertEquals(i + 1, Integer.parseInt(m.group(1)));
            assertEquals(cues.get(i).start(), seconds(m, 2), 1e-3);
            assertEquals(cues.get(i).end(), seconds(m, 6), 1e-3);
            assertEquals(cues.get(i).text(), m.group(10));
        }
    }

    private static double seconds(Matcher m, int group) {
        return Integer.parseInt(m.group(group)) * 3600 + Integer.parseInt(m.group(group + 1)) * 60
                + Integer.parseInt(m.group(group + 2)) + Integer.parseInt(m.group(group + 3)) / 1000.0;
    }

    @Test
    void liveMicrophoneShowsTextWhileRecording() {
        open();
        byId("record").click();
        awaitStatus("Listening", 60);
        // Text appears while recording (committed or tentative).
        new WebDriverWait(driver, Duration.ofSeconds(90)).until(d ->
                !byId("committed").getText().isBlank() || !byId("tentative").getText().isBlank());
        assertEquals("Stop", byId("record").getText());
        byId("record").click();
        awaitStatus("Done", 120);
        assertFalse(byId("committed").getText().isBlank());
        assertTrue(byId("meta").getText().contains("s of audio"), byId("meta").getText());
        assertEquals("Start recording", byId("record").getText());
    }

    @Test
    void layoutMatchesTheDesign() throws Exception {
        driver.manage().window().setSize(new Dimension(1280, 900));
        open();
        Path shot = Path.of("target", "page-screenshots", "page-1280.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 1000);
        long width = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth");

        Rectangle header = byId("top").getRect();
        Rectangle upload = byId("upload-panel").getRect();
        Rectangle live = byId("live-panel").getRect();
        Rectangle result = byId("result-panel").getRect();
        // The header spans the top of the page.
        assertEquals(0, header.getY());
        assertEquals(0, header.getX());
        assertEquals(width, header.getWidth());
        // Wide window: the two input panels side by side, same top and width, below the header.
        assertTrue(upload.getY() > header.getY() + header.getHeight() - 1);
        assertEquals(upload.getY(), live.getY());
        assertTrue(Math.abs(upload.getWidth() - live.getWidth()) <= 2, upload + " " + live);
        assertTrue(upload.getX() + upload.getWidth() < live.getX(), "no overlap: " + upload + " " + live);
        // The transcript spans both, below them, with the same outer edges; everything inside the window.
        assertTrue(result.getY() >= Math.max(upload.getY() + upload.getHeight(), live.getY() + live.getHeight()));
        assertEquals(upload.getX(), result.getX());
        assertEquals(live.getX() + live.getWidth(), result.getX() + result.getWidth(), 1);
        assertTrue(result.getX() + result.getWidth() <= width);
        // Controls sit inside their panels.
        assertInside(byId("file").getRect(), upload);
        assertInside(byId("transcribe").getRect(), upload);
        assertInside(byId("record").getRect(), live);
        assertInside(byId("transcript").getRect(), result);
        assertInside(byId("download-srt").getRect(), result);

        // Narrow window: the panels stack in one column.
        driver.manage().window().setSize(new Dimension(600, 900));
        Files.write(shot.resolveSibling("page-600.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        Rectangle upload2 = byId("upload-panel").getRect();
        Rectangle live2 = byId("live-panel").getRect();
        assertEquals(upload2.getX(), live2.getX());
        assertTrue(live2.getY() >= upload2.getY() + upload2.getHeight());
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    private static void assertInside(Rectangle inner, Rectangle outer) {
        assertTrue(inner.getX() >= outer.getX() && inner.getY() >= outer.getY()
                && inner.getX() + inner.getWidth() <= outer.getX() + outer.getWidth()
                && inner.getY() + inner.getHeight() <= outer.getY() + outer.getHeight(), inner + " inside " + outer);
    }

}
