package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.ComputeStatus;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * --compute exact|bf16 through the command line on the tiny model: bf16 runs where oneDNN and the
 * CPU allow it (one "Compute:" line), and otherwise the run goes on in exact f32 after one warning
 * line that says what is missing; a bad value is a usage error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComputeFlagTest {
    @TempDir
    static Path tmp;
    private Path model;
    private String wav;
    private CliRun exact;

    @BeforeAll
    void generateModel() throws IOException {
        model = SyntheticCheckpoint.generate(Preset.TINY, 7, tmp.resolve("tiny"), 1, TestFiles.shared());
        wav = TestFiles.speechWav().toString();
        exact = CliRun.of("-d", model.toString(), "-i", wav, "-t", "2", "--max-new-tokens", "8");
        assertEquals(ExitCodes.OK, exact.exitCode(), exact.stderr());
    }

    private CliRun bf16() {
        return CliRun.of("-d", model.toString(), "-i", wav, "-t", "2", "--max-new-tokens", "8", "--compute", "bf16");
    }

    @Test
    void badValueIsAUsageError() {
        CliRun.of("-d", "model", "-i", wav, "--compute", "fp8")
                .assertFailure(ExitCodes.USAGE, "--compute must be exact or bf16, got 'fp8'");
    }

    @Test
    void alignmentAloneLoadsNoSpeechModelSoBf16IsAUsageError() {
        CliRun.of("-i", wav, "--align", "hello", "--align-language", "English", "--compute", "bf16")
                .assertFailure(ExitCodes.USAGE, "--compute applies to the speech model, which --align and --align-file do not load");
    }

    @Test
    void bf16RunsOrSaysWhyNot() {
        CliRun r = bf16();
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        ComputeStatus here;
        try (QwenAsr asr = QwenAsr.load(model, LoadOptions.defaults().withThreads(1).withCompute(ComputeMode.BF16))) {
            here = asr.info().compute();
        }
        List<String> notices = r.stderrLines().stream().filter(l -> l.startsWith("Compute: ") || l.contains("--compute")).toList();
        if (!here.fellBack()) {
            assertEquals(List.of("Compute: bf16 on " + here.detail()), notices, r.stderr());
        } else {
            assertEquals(List.of("Warning: --compute bf16 is not available here, running exact f32: " + here.detail()), notices);
            assertEquals(exact.stdout(), r.stdout(), "the fallback is the exact path");
        }
    }

    /** The combination: int8 decoder weights and bf16 compute in one run, each with its own line. */
    @Test
    void int8AndBf16RunTogether() {
        CliRun int8 = CliRun.of("-d", model.toString(), "-i", wav, "-t", "2", "--max-new-tokens", "8", "--quantize", "int8");
        assertEquals(ExitCodes.OK, int8.exitCode(), int8.stderr());
        CliRun both = CliRun.of("-d", model.toString(), "-i", wav, "-t", "2", "--max-new-tokens", "8",
                "--quantize", "int8", "--compute", "bf16");
        assertEquals(ExitCodes.OK, both.exitCode(), both.stderr());
        List<String> lines = both.stderrLines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("int8 weights: mapped ")), both.stderr());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("Compute: bf16 on ")
                || l.startsWith("Warning: --compute bf16 is not available here, running exact f32: ")).count(), both.stderr());
        if (lines.stream().anyMatch(l -> l.startsWith("Warning: --compute bf16"))) {
            assertEquals(int8.stdout(), both.stdout(), "the fallback is the int8 run without bf16");
        }
    }

    @Test
    void missingLibraryWarnsOnceAndRunsExact() {
        String old = System.getProperty("qwenasr.bf16.library");
        Path missing = tmp.resolve("libdnnl-missing.so");
        System.setProperty("qwenasr.bf16.library", missing.toString());
        try {
            CliRun r = bf16();
            assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
            assertEquals(exact.stdout(), r.stdout());
            List<String> warnings = r.stderrLines().stream().filter(l -> l.contains("--compute")).toList();
            assertEquals(1, warnings.size(), r.stderr());
            String w = warnings.get(0);
            assertTrue(w.startsWith("Warning: --compute bf16 is not available here, running exact f32: "), w);
            // Which is missing (the library, or before it the CPU's bf16) and how to get it.
            assertTrue(w.contains("oneDNN library " + missing + " (-Dqwenasr.bf16.library) cannot be loaded")
                    || w.contains("neither avx512_bf16 nor amx_bf16"), w);
            assertTrue(w.contains("apt-get install libdnnl2") || w.contains("AVX-512 BF16 CPU"), w);
        } finally {
            if (old == null) System.clearProperty("qwenasr.bf16.library");
            else System.setProperty("qwenasr.bf16.library", old);
        }
    }
}
