package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.Quantization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qwen-asr serve}'s options: help, one-line errors with status 2 or 1, the settings they make. */
class ServeCommandTest {
    private record Run(int status, String out, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ServeCommand.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryOption() {
        Run r = run(Map.of(), "--help");
        assertEquals(0, r.status());
        for (String o : List.of("--host", "--port", "-d", "--aligner", "--api-key", "--max-upload-mb",
                "--max-audio-seconds", "--max-concurrent", "--max-queue", "--request-timeout", "--max-streams",
                "--max-stream-seconds", "--stream-chunk-sec", "--shutdown-grace", "--max-new-tokens", "--quantize", "--compute", "TLS")) {
            assertTrue(r.out().contains(o), o);
        }
    }

    @Test
    void badOptionsAreOneLineAndStatus2() {
        for (String[] args : List.of(new String[]{"--port", "x"}, new String[]{"--bogus"},
                new String[]{"--port", "70000"}, new String[]{"--max-upload-mb", "0"},
                new String[]{"--stream-chunk-sec", "0"}, new String[]{"--api-key", " "}, new String[]{"-t", "0"},
                new String[]{"--quantize", "int4"}, new String[]{"--compute", "fp8"})) {
            Run r = run(Map.of(), args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("Error: "), r.err());
            assertTrue(r.err().lines().count() <= 2, r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void quantizeTakesNoneOrInt8InAnyCase() {
        ServeCommand c = new ServeCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(c).parseArgs();
        assertEquals(Quantization.NONE, c.quantize, "weights as stored by default");
        new picocli.CommandLine(c).parseArgs("--quantize", "INT8");
        assertEquals(Quantization.INT8, c.quantize);
        Run r = run(Map.of(), "--quantize", "int4");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("Error: Invalid value for option '--quantize': expected none or int8, got 'int4'"),
                r.err());
    }

    @Test
    void computeTakesExactOrBf16InAnyCase() {
        ServeCommand c = new ServeCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(c).parseArgs();
        assertEquals(ComputeMode.EXACT, c.compute, "exact by default");
        new picocli.CommandLine(c).parseArgs("--compute", "BF16");
        assertEquals(ComputeMode.BF16, c.compute);
        Run r = run(Map.of(), "--compute", "fp8");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("Error: Invalid value for option '--compute': --compute must be exact or bf16, got 'fp8'"),
                r.err());
    }

    @Test
    void missingModelIsOneLineAndStatus1(@TempDir Path cache) {
        Run r = run(Map.of("QWEN_ASR_CACHE", cache.toString()));
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("qwen-asr download 0.6b"), r.err());
        Run d = run(Map.of(), "-d", cache.resolve("none").toString());
        assertEquals(1, d.status());
        assertTrue(d.err().lines().anyMatch(l -> l.startsWith("Error: ") && l.contains("not found")), d.err());
        assertTrue(d.err().lines().noneMatch(l -> l.startsWith("\tat ")), d.err());
    }

    @Test
    void optionsBecomeSettings() {
        ServeCommand c = new ServeCommand(Map.of("QWEN_ASR_API_KEY", "from-env"), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(c).parseArgs("--host", "0.0.0.0", "--port", "9000", "--max-upload-mb", "5",
                "--max-concurrent", "3", "--max-queue", "7", "--max-new-tokens", "64");
        ServerSettings s = c.settings();
        assertEquals("0.0.0.0", s.host());
        assertEquals(9000, s.port());
        assertEquals(5L << 20, s.maxUploadBytes());
        assertEquals(3, s.maxConcurrent());
        assertEquals(7, s.maxQueue());
        assertEquals(64, s.maxNewTokens());
        assertEquals("from-env", s.apiKey());
        assertTrue(!s.loopbackOnly());
        ServeCommand d = new ServeCommand(Map.of(), new PrintWriter(new StringWriter()));
        new picocli.CommandLine(d).parseArgs();
        assertTrue(d.settings().loopbackOnly(), "loopback by default");
        assertEquals(null, d.settings().apiKey());
    }
}
