package io.github.qwenasr.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tools.FakeHub;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from a fake hub on 127.0.0.1 into a temporary cache: the fresh case, every way the
 * network and the server can misbehave (dropped and stalled connections, ignored ranges, corrupted
 * content, 404, 401), tokens and redirects, and two downloads of the same model at once. Expected
 * contents are the bytes the fake hub was given, never anything the downloader computed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelDownloaderTest {
    /** Quick retries so the failure cases take milliseconds. */
    private static final DownloadOptions FAST = new DownloadOptions(4, Duration.ofMillis(10), Duration.ofSeconds(10));
    private static final String REPO = FakeModelRepo.REPO;
    private static final String WEIGHTS = FakeModelRepo.WEIGHTS;
    private static final int HALF = FakeModelRepo.WEIGHTS_SIZE / 2;

    @TempDir
    Path cacheRoot;
    private FakeHub hub;
    private FakeModelRepo repo;
    private ModelCache cache;
    private Path modelDir;

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.start();
        repo = new FakeModelRepo().publishOn(hub);
        cache = new ModelCache(cacheRoot);
        modelDir = cache.modelDir(ModelCatalog.ASR_0_6B);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private Path download(DownloadOptions options, String token, ProgressListener listener) {
        try (HubClient client = new HubClient(hub.endpoint(), token)) {
            return new ModelDownloader(client, options).download(ModelCatalog.ASR_0_6B, "main", cache, listener);
        }
    }

    private Path download() {
        return download(FAST, null, ProgressListener.SILENT);
    }

    private void assertModelFilesExactly() throws IOException {
        for (Map.Entry<String, byte[]> e : repo.modelFiles.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(modelDir.resolve(e.getKey())), e.getKey());
        }
        try (Stream<Path> s = Files.list(modelDir)) {
            List<String> visible = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            assertEquals(repo.modelFiles.keySet().stream().sorted().toList(), visible, "no README, no .part left over");
        }
        assertTrue(cache.isComplete(ModelCatalog.ASR_0_6B));
    }

    /**
     * N of a "Range: bytes=N-" request. (A dropped connection can lose data the server had already
     * written, so the resume point is at most where the server stopped, never exactly known.)
     */
    private static long resumeOffset(FakeHub.Request r) {
        assertTrue(r.range() != null && r.range().matches("bytes=\\d+-"), "not a resume request: " + r);
        return Long.parseLong(r.range().substring(6, r.range().length() - 1));
    }

    @Test
    void freshDownloadFetchesTheModelFilesPinnedToTheListedCommit() throws IOException {
        RecordingListener events = new RecordingListener();
        Path dir = download(FAST, null, events);
        assertEquals(cacheRoot.resolve("Qwen3-ASR-0.6B"), dir);
        assertModelFilesExactly();
        assertEquals(repo.modelFiles.size(), events.count("finished "));
        List<FakeHub.Request> downloads = hub.requests().stream().filter(r -> r.path().contains("/resolve/")).toList();
        assertEquals(repo.modelFiles.size(), downloads.size(), "each file fetched once, README and .gitattributes never");
        assertTrue(downloads.stream().allMatch(r -> r.path().startsWith("/Qwen/Qwen3-ASR-0.6B/resolve/" + FakeHub.COMMIT + "/")),
                "files come from the commit the listing named");
        assertTrue(downloads.stream().allMatch(r -> r.range() == null && r.authorization() == null));
    }

    @Test
    void connectionDroppedMidFileIsResumedWithARangeRequest() throws IOException {
        hub.dropAfter(REPO, WEIGHTS, HALF, 1);
        RecordingListener events = new RecordingListener();
        download(FAST, null, events);
        assertModelFilesExactly();
        List<FakeHub.Request> gets = hub.downloadsOf(WEIGHTS);
        assertEquals(2, gets.size());
        assertNull(gets.get(0).range());
        long resumedAt = resumeOffset(gets.get(1));
        assertTrue(resumedAt > 0 && resumedAt <= HALF, "the second request continues where the first broke off: " + resumedAt);
        assertTrue(events.has("retrying " + WEIGHTS), events.events.toString());
    }

    @Test
    void interruptedDownloadKeepsItsPartFileAndTheNextRunResumesIt() throws IOException {
        hub.dropAfter(REPO, WEIGHTS, HALF, 1);
        DownloadOptions oneAttempt = new DownloadOptions(1, Duration.ZERO, Duration.ofSeconds(10));
        HubException e = assertThrows(HubException.class, () -> download(oneAttempt, null, ProgressListener.SILENT));
        assertTrue(e.getMessage().contains(WEIGHTS) && e.getMessage().contains("run the command again"), e.getMessage());
        byte[] arrived = Files.readAllBytes(modelDir.resolve(WEIGHTS + ".part"));
        assertTrue(arrived.length > 0 && arrived.length <= HALF, "part file of " + arrived.length + " bytes");
        assertArrayEquals(Arrays.copyOf(repo.weights(), arrived.length), arrived, "the part file holds what arrived");
        assertFalse(Files.exists(modelDir.resolve(WEIGHTS)));
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B));
        assertTrue(cache.isPartial(ModelCatalog.ASR_0_6B));

        RecordingListener events = new RecordingListener();
        download(FAST, null, events);
        assertModelFilesExactly();
        assertEquals("bytes=" + arrived.length + "-", hub.downloadsOf(WEIGHTS).get(1).range());
        assertTrue(events.has("started " + WEIGHTS + " at " + arrived.length), events.events.toString());
        assertTrue(events.has("skipped config.json"), "files finished by the first run are kept");
    }

    @Test
    void serverIgnoringTheRangeRestartsTheFileInsteadOfAppending() throws IOException {
        hub.ignoreRange(REPO, WEIGHTS);
        Files.createDirectories(modelDir);
        // A part file whose bytes are not the file's: appending the full body after it would corrupt the result.
        byte[] stale = new byte[HALF];
        Arrays.fill(stale, (byte) 7);
        Files.write(modelDir.resolve(WEIGHTS + ".part"), stale);
        RecordingListener events = new RecordingListener();
        download(FAST, null, events);
        assertModelFilesExactly();
        assertEquals("bytes=" + HALF + "-", hub.downloadsOf(WEIGHTS).get(0).range(), "a resume was asked for");
        assertTrue(events.has("restarting " + WEIGHTS), events.events.toString());
    }

    @Test
    void serverIgnoringTheRangeAfterADropStillEndsWithTheRightFile() throws IOException {
        hub.ignoreRange(REPO, WEIGHTS).dropAfter(REPO, WEIGHTS, HALF, 1);
        download();
        assertModelFilesExactly();
    }

    @Test
    void corruptedWeightsAreCaughtByTheSha256AndNeverLookComplete() throws IOException {
        byte[] corrupted = repo.weights().clone();
        corrupted[12345] ^= 1;
        hub.serveInstead(REPO, WEIGHTS, corrupted);
        HubException e = assertThrows(HubException.class, this::download);
        assertTrue(e.getMessage().startsWith(WEIGHTS + " failed verification (sha256 "), e.getMessage());
        assertFalse(Files.exists(modelDir.resolve(WEIGHTS)), "never renamed into place");
        assertFalse(Files.exists(modelDir.resolve(WEIGHTS + ".part")), "the wrong bytes are discarded");
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B));
        assertFalse(Files.exists(modelDir.resolve(CompletionRecord.FILE_NAME)));
    }

    @Test
    void corruptedSmallFileIsCaughtByItsGitBlobId() {
        hub.serveInstead(REPO, "vocab.json", FakeModelRepo.utf8("{\"a\": 0, \"c\": 1}\n"));
        HubException e = assertThrows(HubException.class, this::download);
        assertTrue(e.getMessage().startsWith("vocab.json failed verification (git blob id "), e.getMessage());
        assertFalse(Files.exists(modelDir.resolve("vocab.json")));
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B));
    }

    @Test
    void truncatedBodyWithoutRetriesIsNotRenamed() {
        hub.dropAfter(REPO, "merges.txt", 5, 10);
        HubException e = assertThrows(HubException.class, this::download);
        assertTrue(e.getMessage().contains("merges.txt"), e.getMessage());
        assertFalse(Files.exists(modelDir.resolve("merges.txt")));
    }

    @Test
    void stalledConnectionIsDroppedAndResumed() throws IOException {
        hub.stallAfter(REPO, WEIGHTS, HALF, 1, 20_000);
        DownloadOptions impatient = new DownloadOptions(4, Duration.ofMillis(10), Duration.ofMillis(500));
        long start = System.nanoTime();
        RecordingListener events = new RecordingListener();
        download(impatient, null, events);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "did not wait for the stalled server");
        assertModelFilesExactly();
        long resumedAt = resumeOffset(hub.downloadsOf(WEIGHTS).get(1));
        assertTrue(resumedAt > 0 && resumedAt <= HALF, "resumed at " + resumedAt);
        assertTrue(events.has("retrying " + WEIGHTS + ": " + WEIGHTS + ": no data from"), events.events.toString());
    }

    @Test
    void busyServerIsRetriedThenGivenUpWithTheReason() {
        hub.failWith(REPO, "config.json", 503);
        HubException e = assertThrows(HubException.class, this::download);
        assertTrue(e.getMessage().contains("giving up after 4 failed attempts") && e.getMessage().contains("HTTP 503"), e.getMessage());
        assertEquals(4, hub.downloadsOf("config.json").size());
    }

    @Test
    void missingFileIsA404NamingIt() {
        hub.failWith(REPO, WEIGHTS, 404);
        HubException e = assertThrows(HubException.class, this::download);
        assertEquals("file model.safetensors not found in Qwen/Qwen3-ASR-0.6B at revision " + FakeHub.COMMIT
                + " (HTTP 404 from " + hub.endpoint() + ")", e.getMessage());
        assertEquals(1, hub.downloadsOf(WEIGHTS).size(), "a 404 is not retried");
        assertFalse(Files.exists(modelDir.resolve(WEIGHTS + ".part")), "no empty part file left behind");
    }

    @Test
    void unknownRepositoryAndRevisionAre404sNamingThem() {
        try (HubClient client = new HubClient(hub.endpoint(), null)) {
            ModelDownloader d = new ModelDownloader(client, FAST);
            HubException repoMissing = assertThrows(HubException.class,
                    () -> d.download("Qwen/No-Such-Model", "main", cacheRoot.resolve("x"), ProgressListener.SILENT));
            assertTrue(repoMissing.getMessage().startsWith("repository Qwen/No-Such-Model not found"), repoMissing.getMessage());
            assertTrue(repoMissing.getMessage().contains("HF_TOKEN"), "a private repository looks missing: say so");
            HubException revMissing = assertThrows(HubException.class,
                    () -> d.download(REPO, "v9", cacheRoot.resolve("y"), ProgressListener.SILENT));
            assertTrue(revMissing.getMessage().startsWith("revision 'v9' not found in " + REPO), revMissing.getMessage());
        }
    }

    @Test
    void unauthorizedWithoutTokenAsksForHfToken() {
        hub.requireToken("hf_secret");
        HubException e = assertThrows(HubException.class, () -> download(FAST, null, ProgressListener.SILENT));
        assertTrue(e.getMessage().contains("asks for authentication") && e.getMessage().contains("set HF_TOKEN"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(1, hub.requests().size(), "a 401 is not retried");
    }

    @Test
    void unauthorizedWithAWrongTokenSaysTheTokenWasRefused() {
        hub.requireToken("hf_secret");
        HubException e = assertThrows(HubException.class, () -> download(FAST, "hf_wrong", ProgressListener.SILENT));
        assertTrue(e.getMessage().contains("refused the token in HF_TOKEN"), e.getMessage());
    }

    @Test
    void tokenIsSentToTheHubButNotToTheHostItRedirectsTo() throws IOException {
        try (FakeHub cdn = FakeHub.start()) {
            repo.publishOn(cdn);
            hub.requireToken("hf_secret").redirectFilesTo(cdn);
            download(FAST, "hf_secret", ProgressListener.SILENT);
            assertModelFilesExactly();
            assertTrue(hub.requests().stream().allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
            assertEquals(repo.modelFiles.size(), cdn.requests().size(), "every file came from the redirect target");
            assertTrue(cdn.requests().stream().allMatch(r -> r.authorization() == null), "token leaked to another host");
        }
    }

    @Test
    void rangeSurvivesARedirect() throws IOException {
        try (FakeHub cdn = FakeHub.start()) {
            repo.publishOn(cdn);
            hub.redirectFilesTo(cdn);
            cdn.dropAfter(REPO, WEIGHTS, HALF, 1);
            download();
            assertModelFilesExactly();
            long resumedAt = resumeOffset(cdn.downloadsOf(WEIGHTS).get(1));
            assertTrue(resumedAt > 0 && resumedAt <= HALF, "resumed at " + resumedAt);
        }
    }

    @Test
    void secondDownloadKeepsCompleteFilesWithoutFetchingThem() throws IOException {
        download();
        int before = hub.requests().size();
        RecordingListener events = new RecordingListener();
        download(FAST, null, events);
        assertModelFilesExactly();
        assertEquals(before + 1, hub.requests().size(), "only the file list is fetched again");
        assertEquals(repo.modelFiles.size(), events.count("skipped "));
    }

    @Test
    void damagedFileOnDiskIsDetectedAndReplaced() throws IOException {
        download();
        Path weights = modelDir.resolve(WEIGHTS);
        byte[] damaged = Files.readAllBytes(weights);
        damaged[100] ^= (byte) 0xff;
        Files.write(weights, damaged);
        download();
        assertModelFilesExactly();
        assertEquals(2, hub.downloadsOf(WEIGHTS).size());
    }

    @Test
    void missingFileAfterCompletionMakesTheModelIncomplete() throws IOException {
        download();
        Files.delete(modelDir.resolve("vocab.json"));
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B));
    }

    @Test
    void repositoryWithoutModelFilesIsRejected() {
        hub.addFile("someone/not-a-model", "README.md", FakeModelRepo.utf8("hi"));
        try (HubClient client = new HubClient(hub.endpoint(), null)) {
            HubException e = assertThrows(HubException.class, () -> new ModelDownloader(client, FAST)
                    .download("someone/not-a-model", "main", cacheRoot.resolve("nm"), ProgressListener.SILENT));
            assertTrue(e.getMessage().contains("is not a Qwen3-ASR model repository")
                    && e.getMessage().contains("config.json") && e.getMessage().contains("*.safetensors"), e.getMessage());
        }
    }

    @Test
    void twoConcurrentDownloadsOfTheSameModelEndWithCorrectFiles() throws Exception {
        // The first download is held inside its weights transfer while the second one starts.
        CountDownLatch weightsHeld = hub.hold(REPO, WEIGHTS);
        RecordingListener first = new RecordingListener();
        RecordingListener second = new RecordingListener();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> a = pool.submit(() -> download(FAST, null, first));
            awaitCondition(() -> hub.downloadsOf(WEIGHTS).size() == 1, "first download reaches the weights");
            Future<Path> b = pool.submit(() -> download(FAST, null, second));
            awaitCondition(() -> second.has("waiting "), "second download waits for the first");
            assertFalse(Files.exists(modelDir.resolve(WEIGHTS)));
            weightsHeld.countDown();
            assertEquals(modelDir, a.get(30, TimeUnit.SECONDS));
            assertEquals(modelDir, b.get(30, TimeUnit.SECONDS));
        } finally {
            weightsHeld.countDown();
            pool.shutdownNow();
        }
        assertModelFilesExactly();
        assertFalse(first.has("waiting "));
        assertEquals(repo.modelFiles.size(), second.count("skipped "), "the second one found every file complete");
        assertEquals(1, hub.downloadsOf(WEIGHTS).size(), "the weights were transferred once");
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void lockHeldByAnotherProcessMakesTheDownloadWait() throws Exception {
        Files.createDirectories(modelDir);
        RecordingListener events = new RecordingListener();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (FileChannel ch = FileChannel.open(modelDir.resolve(DownloadLock.FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            Future<Path> result;
            // Another holder of the OS lock, as a second process would be.
            try (FileLock _ = ch.lock()) {
                result = pool.submit(() -> download(FAST, null, events));
                awaitCondition(() -> events.has("waiting "), "the download waits for the lock");
                assertTrue(hub.requests().isEmpty(), "nothing is fetched while another download holds the directory");
            }
            assertEquals(modelDir, result.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertModelFilesExactly();
    }
}
