package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** -h/--help and --version: printed on stdout, exit 0, even next to otherwise incomplete arguments. */
class HelpAndVersionTest {
    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help"})
    void helpGoesToStdoutAndExitsZero(String flag) {
        CliRun r = CliRun.of(flag);
        assertEquals(ExitCodes.OK, r.exitCode());
        assertEquals("", r.stderr());
        assertTrue(r.stdout().startsWith("Usage: qwen-asr [-d <model_dir>] (-i <audio> | --stdin)"), r.stdout());
        assertTrue(r.stdout().contains("qwen-asr download"), "the download command is pointed to");
        assertTrue(r.stdout().contains("qwen-asr serve"), "the server command is pointed to");
        assertTrue(r.stdout().contains("qwen-asr batch"), "the Spark batch command is pointed to");
        for (String flagName : List.of("-d", "-i", "--stdin", "-t", "--language", "--prompt", "--max-new-tokens",
                "--encoder-attention", "--silent", "--debug", "--profile", "--help", "--version")) {
            assertTrue(r.stdout().contains(flagName), () -> flagName + " not documented");
        }
    }

    @Test
    void helpShowsValuesAfterASpaceAsTheExamplesUseThem() {
        String help = CliRun.of("--help").stdout();
        assertTrue(help.contains("-d <model_dir>"), help);
        assertTrue(help.contains("--language <name>"), help);
    }

    @Test
    void helpDocumentsTheExitCodes() {
        String help = CliRun.of("--help").stdout();
        assertTrue(help.contains("Exit codes:"), help);
        for (String code : List.of("  0  success", "  1  the run failed", "  2  usage error", "  3  internal error")) {
            assertTrue(help.contains(code), () -> "missing '" + code + "' in\n" + help);
        }
    }

    @Test
    void helpWinsOverMissingArguments() {
        CliRun r = CliRun.of("-i", "x.wav", "-h");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertTrue(r.stdout().startsWith("Usage:"));
    }

    @Test
    void versionNamesTheToolAndTheRuntime() {
        CliRun r = CliRun.of("--version");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertEquals("", r.stderr());
        List<String> lines = r.stdout().lines().toList();
        assertEquals(2, lines.size(), r.stdout());
        assertTrue(lines.get(0).startsWith("qwen-asr "), r.stdout());
        assertTrue(lines.get(1).startsWith("Java " + Runtime.version().feature()), r.stdout());
    }
}
