package io.github.qwenasr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.tools.FakeHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qwen-asr download} against a fake hub on 127.0.0.1, and transcription without {@code -d}.
 * The environment is passed in: HF_ENDPOINT points at the fake hub and QWEN_ASR_CACHE at a
 * temporary directory, so no test reaches the network or the user's cache.
 */
class DownloadCommandTest {
    private static final String REPO = "Qwen/Qwen3-ASR-0.6B";

    @TempDir
    Path tmp;
    private FakeHub hub;
    private Path cache;
    private Map<String, String> env;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.start();
        files.put("config.json", utf8("{\"model_type\": \"qwen3_asr\"}\n"));
        files.put("tokenizer_config.json", utf8("{}\n"));
        files.put("vocab.json", utf8("{\"a\": 0}\n"));
        files.put("merges.txt", utf8("#version: 0.2\n"));
        byte[] weights = new byte[200_000];
        new Random(1).nextBytes(weights);
        files.put("model.safetensors", weights);
        publish(REPO);
        cache = tmp.resolve("cache");
        env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(), "QWEN_ASR_CACHE", cache.toString(),
                "QWEN_ASR_STDERR_TTY", "0"));
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private void publish(String repo) {
        files.forEach((name, content) -> {
            if (name.endsWith(".safetensors")) hub.addLfsFile(repo, name, content);
            else hub.addFile(repo, name, content);
        });
        hub.addFile(repo, "README.md", utf8("# model card\n"));
    }

    private CliRun run(String... args) {
        return CliRun.withEnv(env, null, args);
    }

    private void assertDownloaded(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), e.getKey());
        }
        assertFalse(Files.exists(dir.resolve("README.md")));
    }

    @Test
    void downloadsIntoTheCachePrintsTheDirectoryAndReportsProgress() throws IOException {
        CliRun r = run("download", "0.6b");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        Path dir = cache.resolve("Qwen3-ASR-0.6B");
        assertEquals(dir + System.lineSeparator(), r.stdout());
        assertDownloaded(dir);
        List<String> err = r.stderrLines();
        assertEquals("Downloading Qwen/Qwen3-ASR-0.6B (revision main, commit c0ffee00c0ff), 5 files, 195 KiB, into " + dir, err.get(0));
        assertTrue(err.contains("[5/5] model.safetensors (195 KiB)"), r.stderr());
        assertTrue(err.stream().anyMatch(l -> l.startsWith("[5/5] model.safetensors: done, verified")), r.stderr());
        assertTrue(err.contains("Qwen/Qwen3-ASR-0.6B is ready in " + dir), r.stderr());
        assertEquals("Transcribe with: qwen-asr -i <audio.wav>", err.get(err.size() - 1));
        assertFalse(r.stderr().contains("\r"), "no bar when stderr is not a terminal");
        r.assertNoStackTrace();
    }

    @Test
    void theDefaultModelIsTheSmallOne() throws IOException {
        CliRun r = run("download");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertDownloaded(cache.resolve("Qwen3-ASR-0.6B"));
    }

    @Test
    void modelNamesAreMatchedInAnyCase() {
        assertEquals(ExitCodes.OK, run("download", "Qwen3-ASR-0.6B", "--silent").exitCode());
        assertEquals(ExitCodes.OK, run("download", "0.6B", "--silent").exitCode());
    }

    @Test
    void dirFlagChoosesAnotherCache() throws IOException {
        Path other = tmp.resolve("elsewhere");
        CliRun r = run("download", "0.6b", "--dir", other.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertDownloaded(other.resolve("Qwen3-ASR-0.6B"));
        assertFalse(Files.exists(cache), "the default cache is untouched");
        assertTrue(r.stderr().contains("Transcribe with: qwen-asr -d " + other.resolve("Qwen3-ASR-0.6B") + " -i <audio.wav>"), r.stderr());
    }

    @Test
    void silentWritesNothingToStderr() throws IOException {
        CliRun r = run("download", "0.6b", "--silent");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertEquals("", r.stderr());
        assertEquals(cache.resolve("Qwen3-ASR-0.6B") + System.lineSeparator(), r.stdout());
    }

    @Test
    void barOnATerminal() {
        env.put("QWEN_ASR_STDERR_TTY", "1");
        CliRun r = run("download", "0.6b");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("\r[5/5] model.safetensors  ["), r.stderr());
    }

    @Test
    void allDownloadsTheThreeModels() {
        publish("Qwen/Qwen3-ASR-1.7B");
        publish("Qwen/Qwen3-ForcedAligner-0.6B");
        CliRun r = run("download", "all", "--silent");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals(List.of(cache.resolve("Qwen3-ASR-0.6B").toString(), cache.resolve("Qwen3-ASR-1.7B").toString(),
                cache.resolve("Qwen3-ForcedAligner-0.6B").toString()), r.stdout().lines().toList());
    }

    @Test
    void listShowsEachModelsStateWithoutTheNetwork() {
        run("download", "0.6b", "--silent");
        int requests = hub.requests().size();
        CliRun r = run("download", "--list");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        List<String> lines = r.stdout().lines().toList();
        assertEquals("Models in " + cache + ":", lines.get(0));
        assertTrue(lines.get(2).matches("  0\\.6b +Qwen/Qwen3-ASR-0\\.6B +downloaded +.*"), lines.get(2));
        assertTrue(lines.get(3).matches("  1\\.7b +Qwen/Qwen3-ASR-1\\.7B +not downloaded +.*"), lines.get(3));
        assertTrue(lines.get(4).matches("  aligner +Qwen/Qwen3-ForcedAligner-0\\.6B +not downloaded +.*"), lines.get(4));
        assertEquals(requests, hub.requests().size());
    }

    @Test
    void helpGoesToStdout() {
        CliRun r = run("download", "--help");
        assertEquals(ExitCodes.OK, r.exitCode());
        assertEquals("", r.stderr());
        assertTrue(r.stdout().startsWith("Usage: qwen-asr download [0.6b|1.7b|aligner|all]"), r.stdout());
        for (String s : List.of("--dir", "--revision", "--silent", "--list", "HF_ENDPOINT", "HF_TOKEN", "QWEN_ASR_CACHE")) {
            assertTrue(r.stdout().contains(s), s);
        }
    }

    @Test
    void downloadComesFirst() {
        // A transcription flag before the subcommand is refused, not silently dropped.
        run("--silent", "download", "0.6b").assertFailure(ExitCodes.USAGE, "'download' comes first",
                "qwen-asr download --help");
        run("-t", "2", "download").assertFailure(ExitCodes.USAGE, "'download' comes first");
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void unknownModelIsAUsageError() {
        CliRun.withEnv(env, null, "download", "0.5b").assertFailure(ExitCodes.USAGE, "unknown model '0.5b'", "0.6b, 1.7b, aligner or all");
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void usageErrors() {
        run("download", "0.6b", "1.7b").assertFailure(ExitCodes.USAGE, "1.7b");
        run("download", "--list", "0.6b").assertFailure(ExitCodes.USAGE, "--list");
        run("download", "--fast").assertFailure(ExitCodes.USAGE, "--fast");
        run("download", "--dir").assertFailure(ExitCodes.USAGE, "--dir");
        run("download", "--revision", " ").assertFailure(ExitCodes.USAGE, "--revision");
    }

    @Test
    void missingRepositoryIsOneClearError() {
        CliRun r = run("download", "1.7b").assertFailure(ExitCodes.FAILURE, "repository Qwen/Qwen3-ASR-1.7B not found", "HTTP 404");
        assertEquals(1, r.stderrLines().size(), r.stderr());
    }

    @Test
    void missingRevisionIsOneClearError() {
        run("download", "0.6b", "--revision", "v2").assertFailure(ExitCodes.FAILURE, "revision 'v2' not found in Qwen/Qwen3-ASR-0.6B");
    }

    @Test
    void unauthorizedNamesHfTokenAndTheTokenFixesIt() throws IOException {
        hub.requireToken("hf_test_token");
        run("download", "0.6b").assertFailure(ExitCodes.FAILURE, "HF_TOKEN", "HTTP 401");
        env.put("HF_TOKEN", "hf_test_token");
        CliRun r = run("download", "0.6b");
        assertEquals(ExitCodes.OK, r.exitCode(), r.stderr());
        assertDownloaded(cache.resolve("Qwen3-ASR-0.6B"));
    }

    @Test
    void corruptedDownloadFailsNamingTheFile() {
        byte[] wrong = files.get("model.safetensors").clone();
        wrong[0] ^= 1;
        hub.serveInstead(REPO, "model.safetensors", wrong);
        run("download", "0.6b").assertFailure(ExitCodes.FAILURE, "model.safetensors failed verification");
        assertFalse(Files.exists(cache.resolve("Qwen3-ASR-0.6B").resolve("model.safetensors")));
    }

    @Test
    void badEndpointIsOneClearError() {
        env.put("HF_ENDPOINT", "hf-mirror.com");
        run("download", "0.6b").assertFailure(ExitCodes.FAILURE, "HF_ENDPOINT must be an http(s) base URL", "hf-mirror.com");
    }

    @Test
    void offlineTranscriptionWithoutModelOffersTheDownloadCommand() {
        CliRun r = run("--offline", "-i", "speech.wav").assertFailure(ExitCodes.FAILURE, "no model given (-d)",
                "Qwen3-ASR-0.6B", "run: qwen-asr download 0.6b", "(--offline: nothing is downloaded)");
        assertTrue(r.errorLines().get(0).contains(cache.toString()), r.stderr());
        assertEquals(1, r.stderrLines().size(), "nothing else, and no prompt: " + r.stderr());
        assertEquals(List.of(), hub.requests(), "the hub is not asked");
    }

    @Test
    void partlyDownloadedDefaultModelSaysSoWhenOffline() throws IOException {
        Files.createDirectories(cache.resolve("Qwen3-ASR-0.6B"));
        env.put("HF_HUB_OFFLINE", "1");
        run("--stdin").assertFailure(ExitCodes.FAILURE, "only partly downloaded", "run: qwen-asr download 0.6b",
                "(HF_HUB_OFFLINE=1: nothing is downloaded)");
        assertEquals(List.of(), hub.requests(), "the hub is not asked");
    }

    @Test
    void transcriptionWithoutModelUsesTheDownloadedDefault() {
        assertEquals(ExitCodes.OK, run("download", "--silent").exitCode());
        Path[] seen = new Path[1];
        ModelLoader spy = (dir, options) -> {
            seen[0] = dir;
            throw new QwenAsrException("stop here");
        };
        CliRun.withEnv(env, spy, "-i", TestFiles.speechWav().toString()).assertFailure(ExitCodes.FAILURE, "stop here");
        assertEquals(cache.resolve("Qwen3-ASR-0.6B"), seen[0]);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
