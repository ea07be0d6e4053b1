package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.capture.AudioCapture;
import io.github.qwenasr.capture.testing.TestDevice;
import io.github.qwenasr.capture.testing.TestDevices;
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

    /**
     * --stream opens the file (stdin: reads its header) and --live the device before a missing model is
     * downloaded, as the offline mode does: a bad input or device never costs a download.
     */
    @Test
    void aBadStreamingOrLiveInputFailsBeforeAnyDownload() {
        CliRun.withEnv(env, null, "-i", tmp.resolve("missing.wav").toString(), "--stream")
                .assertFailure(ExitCodes.FAILURE, "no such file");
        CliRun.withStdinAndEnv("not audio, just words\n".repeat(10).getBytes(), env, null, "--stdin", "--stream")
                .assertFailure(ExitCodes.FAILURE, "stdin is not WAV audio (it looks like text)");
        try {
            TestDevices.install(TestDevice.playing("USB Headset", TestDevice.s16le(16_000, 1), new byte[0], 1));
            CliRun.withDevices(env, devices(), "--live", "--vad", "--device", "7")
                    .assertFailure(ExitCodes.FAILURE, "no input device number 7");
        } finally {
            TestDevices.install();
        }
        assertEquals(List.of(), hub.requests());
        assertFalse(Files.exists(cache.resolve("Qwen3-ASR-0.6B")));
    }

    /** A first --live run downloads the default model, then captures: the same text as the file's --vad. */
    @Test
    void theFirstLiveRunDownloadsTheDefaultModelThenCaptures() throws IOException {
        byte[] pcm = TestFiles.wavDataChunk(Files.readAllBytes(TestFiles.speechWav()));
        CliRun live;
        try {
            TestDevices.install(TestDevice.playing("Test Microphone", TestDevice.s16le(16_000, 1), pcm,
                    Double.POSITIVE_INFINITY));
            live = CliRun.withDevices(env, devices(), concat(new String[] {"--live", "--vad"}, FAST));
        } finally {
            TestDevices.install();
        }
        assertEquals(ExitCodes.OK, live.exitCode(), live.stderr());
        List<String> err = live.stderrLines();
        assertEquals("No model given (-d): downloading Qwen/Qwen3-ASR-0.6B into the model cache first, once "
                + "(--offline prevents this)", err.get(0));
        int ready = err.indexOf("Qwen/Qwen3-ASR-0.6B is ready in " + cache.resolve("Qwen3-ASR-0.6B"));
        int capturing = indexOfStart(err, "Capturing from input device 0 'Test Microphone'");
        assertTrue(ready >= 0 && capturing > ready, "capture starts once the model is there: " + live.stderr());
        CliRun file = CliRun.of(concat(new String[] {"-d", asr.toString(), "-i", wav, "--vad"}, FAST));
        assertEquals(ExitCodes.OK, file.exitCode(), file.stderr());
        assertEquals(file.stdout(), live.stdout());
    }

    private static LiveAudio devices() {
        return new LiveAudio(TestDevices.only(), AudioCapture.Options.DEFAULTS);
    }

    private static int indexOfStart(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
        return -1;
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
