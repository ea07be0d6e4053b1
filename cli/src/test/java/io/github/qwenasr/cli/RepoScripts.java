package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's scripts (bin/, bench/) as child processes with a controlled environment. */
final class RepoScripts {
    private RepoScripts() {
    }

    /** The repository root (system property qwenasr.root, set by the build, else the parent folder). */
    static Path root() {
        String prop = System.getProperty("qwenasr.root");
        Path root = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..");
        if (!Files.isRegularFile(root.resolve("bin/qwen-asr"))) {
            throw new IllegalStateException("repository root not found (bin/qwen-asr): set -Dqwenasr.root");
        }
        return root.toAbsolutePath().normalize();
    }

    /** Exit status and output of a finished child. */
    record Result(int exitCode, String stdout, String stderr) {}

    /** Runs {@code command} in {@code dir} with exactly {@code env}; fails the test after 60 s. */
    static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile("script-out", ".txt");
        Path err = Files.createTempFile("script-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            assertTrue(done, "timed out: " + command);
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
