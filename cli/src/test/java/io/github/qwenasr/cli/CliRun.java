package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One in-process run of {@link Main#run}: exit status and what it wrote to stdout and stderr. */
record CliRun(int exitCode, String stdout, String stderr) {

    static CliRun of(String... args) {
        return withStdin(new byte[0], args);
    }

    static CliRun withStdin(byte[] stdin, String... args) {
        return withLoader(stdin, null, args);
    }

    /** Runs with a replacement model loader (null: the real one). */
    static CliRun withLoader(byte[] stdin, ModelLoader loader, String... args) {
        return run(stdin, loader, null, args);
    }

    /**
     * Runs with the given environment instead of the process's (model cache, HF_ENDPOINT, HF_TOKEN)
     * and a replacement model loader (null: the real one).
     */
    static CliRun withEnv(Map<String, String> env, ModelLoader loader, String... args) {
        return run(new byte[0], loader, env, args);
    }

    /** Runs with the given environment and input devices (--live, --list-devices) and the real model loader. */
    static CliRun withDevices(Map<String, String> env, LiveAudio audio, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), QwenAsr::load, env, audio);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs with the given stdin, environment and model loader (null: the real one). */
    static CliRun withStdinAndEnv(byte[] stdin, Map<String, String> env, ModelLoader loader, String... args) {
        return run(stdin, loader, env, args);
    }

    private static CliRun run(byte[] stdin, ModelLoader loader, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(stdin);
        int code = env != null ? Main.run(args, in, o, e, loader == null ? QwenAsr::load : loader, env)
                : loader == null ? Main.run(args, in, o, e) : Main.run(args, in, o, e, loader);
        o.flush();
        e.flush();
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<String> stderrLines() {
        return stderr.lines().toList();
    }

    List<String> errorLines() {
        return stderrLines().stream().filter(l -> l.startsWith("Error: ")).toList();
    }

    /**
     * The failure contract: the expected exit status, nothing on stdout, exactly one "Error:" line
     * that contains every fragment, and no stack trace.
     */
    CliRun assertFailure(int expectedExit, String... fragments) {
        assertEquals(expectedExit, exitCode, () -> "exit status; stderr:\n" + stderr);
        assertEquals("", stdout, "stdout must stay empty on failure");
        List<String> errors = errorLines();
        assertEquals(1, errors.size(), () -> "exactly one Error line expected; stderr:\n" + stderr);
        for (String f : fragments) {
            assertTrue(errors.get(0).contains(f), () -> "'" + f + "' missing from: " + errors.get(0));
        }
        assertNoStackTrace();
        return this;
    }

    void assertNoStackTrace() {
        assertFalse(stderr.lines().anyMatch(l -> l.matches("\\s+at .*\\(.*\\)") || l.startsWith("Caused by:")),
                () -> "stack trace on stderr:\n" + stderr);
    }
}
