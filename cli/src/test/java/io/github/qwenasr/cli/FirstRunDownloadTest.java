package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.hub.ModelCatalog;
import io.github.qwenasr.tools.FakeHub;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first transcription without {@code -d} downloads the default model (and the aligner for
 * {@code --timestamps} or {@code --align}) from a stand-in hub on 127.0.0.1, then runs; with
 * {@code --offline} or {@code HF_HUB_OFFLINE=1} it fails naming the download command and never asks the
 * hub. The environment is passed in (HF_ENDPOINT, QWEN_ASR_CACHE), so nothing reaches the network or
 * the user's cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstRunDownloadTest {
    private static final String[] FAST = {"-t", "2", "--max-new-tokens", "4"};
    private static final String TEXT = "the quick brown fox";

    @TempDir
    static Path models;
    @TempDir
    Path tmp;
    private Path asr;
    private Path aligner;
    private String wav;
    private FakeHub hub;
    private Path cache;
    private Map<String, String> env;

    @BeforeAll
    void generateModels() throws IOException {
        asr = SyntheticCheckpoint.generate(Preset.TINY, 11, models.resolve("asr"), 1, TestFiles.shared());
        aligner = SyntheticCheckpoint.generate(Preset.TINY_ALIGNER, 1234, models.resolve("aligner"), 1, TestFiles.shared());
        wav = TestFiles.speechWav().toString();
    }

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.start();
        publish(ModelCatalog.ASR_0_6B.repoId(), asr);
        publish(ModelCatalog.ALIGNER.repoId(), aligner);
        cache = tmp.resolve("cache");
        env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(), "QWEN_ASR_CACHE", cache.toString(),
                "QWEN_ASR_STDERR_TTY", "0"));
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private void publish(String repo, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".safetensors")) hub.addLfsFile(repo, name, Files.readAllBytes(f));
                else hub.addFile(repo, name, Files.readAllBytes(f));
            }
        }
    }

    private CliRun run(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of(FAST));
        return CliRun.withEnv(env, null, a.toArray(String[]::new));
    }

    @Test
    void theFirstRunDownloadsTheDefaultModelThenTranscribes() {
        CliRun first = run("-i", wav);
        assertEquals(ExitCodes.OK, first.exitCode(), first.stderr());
        // The same transcript as with the published model given by -d.
        CliRun direct = CliRun.of("-d", asr.toString(), "-i", wav, "-t", "2", "--max-new-tokens", "4");
        assertEquals(direct.stdout(), first.stdout());
        Path dir = cache.resolve("Qwen3-ASR-0.6B");
        List<String> err = first.stderrLines();
        assertEquals("No model given (-d): downloading Qwen/Qwen3-ASR-0.6B into the model cache first, once "
                + "(--offline prevents this)", err.get(0));
        assertTrue(err.get(1).startsWith("Downloading Qwen/Qwen3-ASR-0.6B (revision main"), err.get(1));
        assertTrue(err.contains("Qwen/Qwen3-ASR-0.6B is ready in " + dir), first.stderr());
        assertTrue(err.contains("Loading model from " + dir), first.stderr());
        assertTrue(new ModelCache(cache).isComplete(ModelCatalog.ASR_0_6B));
        assertFalse(new ModelCache(cache).isPartial(ModelCatalog.ALIGNER), "only what the run needs");

        int requests = hub.requests().size();
        CliRun second = run("-i", wav);
        assertEquals(ExitCodes.OK, second.exitCode(), second.stderr());
        assertEquals(first.stdout(), second.stdout());
        assertFalse(second.stderr().contains("downloading"), second.stderr());
        assertEquals(requests, hub.requests().size(), "a complete model is used without asking the hub");
    }

    @Test
    void silentDownloadsQuietly() {
        CliRun r = run("-i", wav, "--silent");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        assertEquals(1, r.stdout().lines().count());
    }

    @Test
    void offlineSaysHowToGetTheModelAndDoesNotAskTheHub() {
        run("-i", wav, "--offline").assertFailure(ExitCodes.FAILURE, "no model given (-d)", "Qwen3-ASR-0.6B is not downloaded",
                "run: qwen-asr download 0.6b", "(--offline: nothing is downloaded)");
        env.put("HF_HUB_OFFLINE", "1");
        run("-i", wav).assertFailure(ExitCodes.FAILURE, "run: qwen-asr download 0.6b",
                "(HF_HUB_OFFLINE=1: nothing is downloaded)");
        CliRun.withEnv(env, null, "-i", wav, "--stream").assertFailure(ExitCodes.FAILURE, "run: qwen-asr download 0.6b");
        assertEquals(List.of(), hub.requests());
        assertFalse(Files.exists(cache.resolve("Qwen3-ASR-0.6B")));
    }

    @Test
    void aBadInputFailsBeforeAnyDownload() {
        run("-i", tmp.resolve("missing.wav").toString()).assertFailure(ExitCodes.FAILURE, "no such file");
        CliRun.withStdinAndEnv("not audio, just words\n".repeat(10).getBytes(), env, null, "--stdin")
                .assertFailure(ExitCodes.FAILURE, "stdin is not WAV audio (it looks like text)");
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void timestampsDownloadTheMissingAligner() throws IOException {
        CliRun r = run("-d", asr.toString(), "-i", wav, "--timestamps", "--output-format", "json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertTrue(r.stderrLines().contains("No aligner given (--aligner): downloading Qwen/Qwen3-ForcedAligner-0.6B "
                + "into the model cache first, once (--offline prevents this)"), r.stderr());
        assertTrue(r.stdout().contains("{\"text\": "), "timed words: " + r.stdout());
        assertTrue(new ModelCache(cache).isComplete(ModelCatalog.ALIGNER));
        assertFalse(Files.exists(cache.resolve("Qwen3-ASR-0.6B")), "-d was given: the default model is not fetched");
    }

    @Test
    void alignmentModeDownloadsTheAlignerOnlyWhenAllowed() {
        String[] align = {"-i", wav, "--align", TEXT, "-t", "2"};
        CliRun.withEnv(env, null, concat(align, "--offline")).assertFailure(ExitCodes.FAILURE,
                "no aligner given (--aligner)", "run: qwen-asr download aligner", "(--offline: nothing is downloaded)");
        assertEquals(List.of(), hub.requests());
        CliRun r = CliRun.withEnv(env, null, align);
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(CliRun.of(concat(align, "--aligner", aligner.toString())).stdout(), r.stdout());
        assertFalse(Files.exists(cache.resolve("Qwen3-ASR-0.6B")), "alignment mode needs no speech model");
    }

    @Test
    void aFailedDownloadIsOneLineAndNoTranscript() {
        hub.failWith(ModelCatalog.ASR_0_6B.repoId(), "model.safetensors", 403);
        CliRun failed = run("-i", wav);
        assertEquals(ExitCodes.FAILURE, failed.exitCode(), failed.stderr());
        assertEquals("", failed.stdout());
        assertEquals(1, failed.errorLines().size(), failed.stderr());
        assertTrue(failed.errorLines().get(0).contains("model.safetensors"), failed.stderr());
        failed.assertNoStackTrace();
        assertFalse(new ModelCache(cache).isComplete(ModelCatalog.ASR_0_6B));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
