package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tools.FakeHub;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default that just works, end to end: a loadable (tiny, random-weight) model published on a
 * fake hub as Qwen/Qwen3-ASR-0.6B is downloaded with {@code qwen-asr download}, then a file is
 * transcribed without {@code -d}.
 */
class DownloadThenTranscribeTest {
    @TempDir
    Path tmp;

    @Test
    void downloadedDefaultModelTranscribesWithoutDashD() throws IOException {
        Path model = SyntheticCheckpoint.generate(Preset.TINY, 11, tmp.resolve("published"), 1, TestFiles.shared());
        try (FakeHub hub = FakeHub.start(); Stream<Path> published = Files.list(model)) {
            for (Path f : published.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".safetensors")) hub.addLfsFile("Qwen/Qwen3-ASR-0.6B", name, Files.readAllBytes(f));
                else hub.addFile("Qwen/Qwen3-ASR-0.6B", name, Files.readAllBytes(f));
            }
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint(), "QWEN_ASR_CACHE", tmp.resolve("cache").toString());
            CliRun download = CliRun.withEnv(env, null, "download", "--silent");
            assertEquals(ExitCodes.OK, download.exitCode(), download.stderr());

            CliRun t = CliRun.withEnv(env, null, "-i", TestFiles.speechWav().toString(), "-t", "2", "--max-new-tokens", "4");
            assertEquals(ExitCodes.OK, t.exitCode(), t.stderr());
            assertEquals(1, t.stdout().lines().count(), t.stdout());
            List<String> err = t.stderrLines();
            assertEquals("Loading model from " + tmp.resolve("cache").resolve("Qwen3-ASR-0.6B"), err.get(0));
            assertTrue(err.get(1).startsWith("Detected: Qwen3-ASR"), err.get(1));
        }
    }
}
