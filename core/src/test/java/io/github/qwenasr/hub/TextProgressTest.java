package io.github.qwenasr.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two text renderings, driven by a fake clock, and the size and time formats they use. */
class TextProgressTest {
    private static final long MIB = 1024 * 1024;
    private static final RemoteFile WEIGHTS = new RemoteFile("model.safetensors", 100 * MIB, null, null);
    private static final RepoSnapshot SNAPSHOT = new RepoSnapshot("Qwen/Qwen3-ASR-0.6B", "main",
            "0123456789abcdef0123456789abcdef01234567", List.of(WEIGHTS));

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private long now;

    private String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void linesStyleWritesAProgressLineEveryIntervalOnly() {
        TextProgress p = new TextProgress(out, TextProgress.Style.LINES, () -> now, Duration.ofSeconds(5));
        p.started(SNAPSHOT, Path.of("/cache/Qwen3-ASR-0.6B"), List.of(WEIGHTS));
        p.planned(1, 100 * MIB);
        p.fileStarted(WEIGHTS, 1, 1, 0);
        now += Duration.ofSeconds(2).toNanos();
        p.progress(WEIGHTS, 20 * MIB); // before the interval: nothing
        now += Duration.ofSeconds(3).toNanos();
        p.progress(WEIGHTS, 50 * MIB); // 5 s in: 10 MiB/s, 50 MiB left
        now += Duration.ofSeconds(5).toNanos();
        p.fileFinished(WEIGHTS);
        p.finished(SNAPSHOT, Path.of("/cache/Qwen3-ASR-0.6B"));
        assertEquals(String.join("\n",
                "Downloading Qwen/Qwen3-ASR-0.6B (revision main, commit 0123456789ab), 1 file, 100 MiB, into /cache/Qwen3-ASR-0.6B",
                "[1/1] model.safetensors (100 MiB)",
                "      model.safetensors: 50.0 MiB of 100 MiB (50%), 10.0 MiB/s, 5 s left",
                "[1/1] model.safetensors: done, verified (100 MiB in 10 s, 10.0 MiB/s)",
                "Qwen/Qwen3-ASR-0.6B is ready in /cache/Qwen3-ASR-0.6B", ""), text().replace(System.lineSeparator(), "\n"));
        assertFalse(text().contains("\r"));
    }

    @Test
    void planSaysWhatIsLeftToDownload() {
        TextProgress p = new TextProgress(out, TextProgress.Style.LINES, () -> now, Duration.ofSeconds(5));
        RemoteFile config = new RemoteFile("config.json", 2048, null, null);
        p.started(SNAPSHOT, Path.of("/c"), List.of(config, WEIGHTS));
        p.fileSkipped(config, 1, 2);
        p.planned(1, 60 * MIB);
        p.planned(0, 0);
        assertTrue(text().contains(", 2 files, 100 MiB, into /c"), text());
        assertTrue(text().contains("[1/2] config.json: already downloaded" + System.lineSeparator()
                + "To download: 1 file, 60.0 MiB" + System.lineSeparator()), text());
        assertTrue(text().contains("All files are already downloaded and verified"), text());
    }

    @Test
    void linesStyleSaysWhereAResumeStartsAndWhyARetryHappens() {
        TextProgress p = new TextProgress(out, TextProgress.Style.LINES, () -> now, Duration.ofSeconds(5));
        p.fileStarted(WEIGHTS, 3, 9, 25 * MIB);
        p.retrying(WEIGHTS, 2, 6, Duration.ofSeconds(2), "model.safetensors: connection lost");
        p.restarting(WEIGHTS, "the server ignored the request to resume at byte 5");
        String t = text();
        assertTrue(t.contains("[3/9] model.safetensors (100 MiB), resuming at 25.0 MiB"), t);
        assertTrue(t.contains("model.safetensors: connection lost; retrying in 2 s (attempt 2 of 6)"), t);
        assertTrue(t.contains("model.safetensors: the server ignored the request to resume at byte 5; downloading it from the start"), t);
    }

    @Test
    void barStyleRedrawsOneLineInPlace() {
        TextProgress p = new TextProgress(out, TextProgress.Style.BAR, () -> now, Duration.ofSeconds(5));
        p.fileStarted(WEIGHTS, 1, 1, 0);
        now += Duration.ofSeconds(2).toNanos();
        p.progress(WEIGHTS, 25 * MIB);
        now += Duration.ofMillis(50).toNanos();
        p.progress(WEIGHTS, 26 * MIB); // too soon after the last redraw: skipped
        now += Duration.ofMillis(7950).toNanos();
        p.fileFinished(WEIGHTS);
        String t = text();
        assertTrue(t.contains("\r[1/1] model.safetensors  [######------------------]  25%  25.0 MiB / 100 MiB  12.5 MiB/s, 6 s left"), t);
        assertFalse(t.contains("26.0 MiB"), t);
        assertTrue(t.endsWith("\r[1/1] model.safetensors: done, verified (100 MiB in 10 s, 10.0 MiB/s)" + System.lineSeparator()), t);
        assertEquals(1, t.split(System.lineSeparator(), -1).length - 1, "only the final line ends with a newline");
    }

    @Test
    void sizesUseBinaryUnitsWithThreeSignificantDigits() {
        assertEquals("0 B", Units.bytes(0));
        assertEquals("1023 B", Units.bytes(1023));
        assertEquals("1.00 KiB", Units.bytes(1024));
        assertEquals("25.3 MiB", Units.bytes(Math.round(25.3 * MIB)));
        assertEquals("512 MiB", Units.bytes(512 * MIB));
        assertEquals("1.75 GiB", Units.bytes(1_876_091_704L));
    }

    @Test
    void durations() {
        assertEquals("0 s", Units.duration(0));
        assertEquals("59 s", Units.duration(59));
        assertEquals("1:00", Units.duration(60));
        assertEquals("3:05", Units.duration(185));
        assertEquals("1:02:03", Units.duration(3723));
    }
}
