package io.github.qwenasr.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python interpreter with the official {@code openai} package: $QWEN_ASR_TEST_PYTHON when set
 * (.ci/run may prepare one), else a virtual environment made under target/ on first use with
 * {@code python3 -m venv} and {@code pip install -r src/test/python/requirements.txt}. Missing
 * Python, venv or package is a test failure, never a skip.
 */
final class PythonClient {
    private static final Path VENV = Path.of("target", "openai-venv");
    private static final Path REQUIREMENTS = Path.of("src", "test", "python", "requirements.txt");

    private PythonClient() {
    }

    /** The interpreter, created if needed; fails with a message saying what is missing. */
    static synchronized Path python() {
        String given = System.getenv("QWEN_ASR_TEST_PYTHON");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            requireOpenAi(p, "QWEN_ASR_TEST_PYTHON=" + given);
            return p;
        }
        Path py = VENV.resolve("bin").resolve("python");
        if (Files.isExecutable(py) && run(List.of(py.toString(), "-c", "import openai"), 60).exit() == 0) return py;
        Result venv = run(List.of("python3", "-m", "venv", "--clear", VENV.toString()), 120);
        if (venv.exit() != 0) {
            throw new AssertionError("cannot create a Python venv (python3 -m venv; on Debian apt-get install python3-venv): "
                    + venv.output());
        }
        Result pip = run(List.of(py.toString(), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r",
                REQUIREMENTS.toString()), 300);
        if (pip.exit() != 0) throw new AssertionError("pip install -r " + REQUIREMENTS + " failed: " + pip.output());
        requireOpenAi(py, VENV.toString());
        return py;
    }

    private static void requireOpenAi(Path python, String what) {
        Result r = run(List.of(python.toString(), "-c", "import openai"), 60);
        if (r.exit() != 0) throw new AssertionError(what + " has no openai package (pip install openai): " + r.output());
    }

    record Result(int exit, String output, String errors) {}

    /** Runs a command to completion (killed after {@code timeoutSeconds}); a command that cannot start gives exit -1. */
    static Result run(List<String> command, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("python-out", ".txt");
            Path err = Files.createTempFile("python-err", ".txt");
            try {
                Process p = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + command, "");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command + ": " + e.getMessage(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted", "");
        }
    }
}
