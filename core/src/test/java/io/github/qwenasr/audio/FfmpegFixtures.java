package io.github.qwenasr.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixtures made by ffmpeg at test time from the shared clips. ffmpeg must be installed (CI
 * installs it): without it these tests fail, they never skip.
 */
final class FfmpegFixtures {
    private FfmpegFixtures() {
    }

    /** The ffmpeg on the PATH; fails the test when there is none. */
    static Ffmpeg ffmpeg() {
        Ffmpeg f = Ffmpeg.system();
        if (!f.available()) {
            throw new AssertionError("ffmpeg is needed by this test and was not found on the PATH "
                    + "(install it: apt-get install ffmpeg; CI does)");
        }
        return f;
    }

    /** Runs {@code ffmpeg -nostdin -v error -y ARGS... out} and returns {@code out}. */
    static Path make(Path out, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg().executable().orElseThrow().toString(),
                "-nostdin", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg did not finish: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> "ffmpeg failed: " + cmd + "\n" + new String(log));
        if (!Files.isRegularFile(out)) throw new AssertionError("ffmpeg wrote no " + out);
        return out;
    }
}
