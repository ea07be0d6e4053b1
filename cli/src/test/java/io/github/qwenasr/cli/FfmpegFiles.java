package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.qwenasr.audio.Ffmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Audio and video fixtures made by ffmpeg at test time from the shared clips. ffmpeg must be on the
 * PATH (CI installs it): without it these tests fail, they never skip.
 */
final class FfmpegFiles {
    private FfmpegFiles() {
    }

    static Path executable() {
        Ffmpeg f = Ffmpeg.system();
        if (!f.available()) {
            throw new AssertionError("ffmpeg is needed by this test and was not found on the PATH "
                    + "(install it: apt-get install ffmpeg; CI does)");
        }
        return f.executable().orElseThrow();
    }

    /** Runs {@code ffmpeg -nostdin -v error -y ARGS... out} and returns {@code out}. */
    static Path make(Path out, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), "-nostdin", "-v", "error", "-y"));
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

    /** {@code file}'s first audio stream as ffmpeg decodes it, written as a 16 kHz float WAV. */
    static Path decodedWav(Path file, Path out) throws IOException, InterruptedException {
        return make(out, "-i", file.toString(), "-map", "0:a:0", "-ar", "16000", "-c:a", "pcm_f32le");
    }
}
