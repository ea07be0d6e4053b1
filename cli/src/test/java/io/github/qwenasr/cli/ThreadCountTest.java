package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -t above the available processors is capped to them with a one-line warning (256 on 2 cores ran 70x slower). */
class ThreadCountTest {
    @Test
    void aboveTheProcessorsIsCappedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        assertEquals(2, QwenAsrCommand.threadCount(256, 2, warnings));
        assertEquals(List.of("-t 256 is more than the 2 available processors; using 2 threads"), warnings);
        warnings.clear();
        assertEquals(1, QwenAsrCommand.threadCount(3, 1, warnings));
        assertEquals(List.of("-t 3 is more than the 1 available processor; using 1 thread"), warnings);
    }

    @Test
    void withinTheProcessorsIsKeptSilently() {
        List<String> warnings = new ArrayList<>();
        assertEquals(2, QwenAsrCommand.threadCount(2, 2, warnings));
        assertEquals(1, QwenAsrCommand.threadCount(1, 64, warnings));
        assertEquals(1, QwenAsrCommand.threadCount(null, 1, warnings), "the default never exceeds the processors");
        assertEquals(List.of(), warnings);
    }

    @Test
    void outOfRangeIsStillAUsageError() {
        assertThrows(UsageException.class, () -> QwenAsrCommand.threadCount(0, 2, new ArrayList<>()));
        assertThrows(UsageException.class, () -> QwenAsrCommand.threadCount(257, 512, new ArrayList<>()));
    }

    @Test
    void theRunUsesTheCappedCountAndSaysSo(@TempDir Path tmp) throws IOException {
        int processors = Runtime.getRuntime().availableProcessors();
        assertTrue(processors < 256, "this test needs fewer than 256 processors, found " + processors);
        AtomicInteger loadedWith = new AtomicInteger();
        ModelLoader recording = (dir, options) -> {
            loadedWith.set(options.threads());
            throw new QwenAsrException("stop after loading");
        };
        Path model = Files.createDirectories(tmp.resolve("model"));
        CliRun r = CliRun.withLoader(new byte[0], recording, "-d", model.toString(), "-i",
                TestFiles.speechWav().toString(), "-t", "256");
        r.assertFailure(ExitCodes.FAILURE, "stop after loading");
        assertEquals(processors, loadedWith.get());
        String expected = processors == 1 ? "Warning: -t 256 is more than the 1 available processor; using 1 thread"
                : "Warning: -t 256 is more than the " + processors + " available processors; using " + processors + " threads";
        assertEquals(expected, r.stderrLines().get(0));
        CliRun silent = CliRun.withLoader(new byte[0], recording, "-d", model.toString(), "-i",
                TestFiles.speechWav().toString(), "-t", "256", "--silent");
        assertEquals(List.of("Error: stop after loading"), silent.stderrLines());
    }
}
