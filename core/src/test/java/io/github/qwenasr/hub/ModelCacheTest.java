package io.github.qwenasr.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the cache is on each platform, and when a model in it counts as downloaded. */
class ModelCacheTest {
    private static final String HOME = "/home/ada";

    @Test
    void qwenAsrCacheWinsOverEverything() {
        Map<String, String> env = Map.of("QWEN_ASR_CACHE", "/data/models", "XDG_CACHE_HOME", "/xdg", "LOCALAPPDATA", "C:\\x");
        assertEquals(Path.of("/data/models"), ModelCache.defaultRoot(env, "Linux", HOME));
        assertEquals(Path.of("/data/models"), ModelCache.defaultRoot(env, "Mac OS X", HOME));
    }

    @Test
    void xdgCacheHomeWhenAbsolute() {
        assertEquals(Path.of("/xdg/qwen-asr"), ModelCache.defaultRoot(Map.of("XDG_CACHE_HOME", "/xdg"), "Linux", HOME));
        assertEquals(Path.of(HOME, ".cache", "qwen-asr"),
                ModelCache.defaultRoot(Map.of("XDG_CACHE_HOME", "relative/dir"), "Linux", HOME), "relative: ignored, as XDG says");
        assertEquals(Path.of(HOME, ".cache", "qwen-asr"), ModelCache.defaultRoot(Map.of("QWEN_ASR_CACHE", "  "), "Linux", HOME));
    }

    @Test
    void platformDefaults() {
        assertEquals(Path.of(HOME, ".cache", "qwen-asr"), ModelCache.defaultRoot(Map.of(), "Linux", HOME));
        assertEquals(Path.of(HOME, "Library", "Caches", "qwen-asr"), ModelCache.defaultRoot(Map.of(), "Mac OS X", HOME));
        assertEquals(Path.of("C:\\Users\\ada\\AppData\\Local", "qwen-asr"),
                ModelCache.defaultRoot(Map.of("LOCALAPPDATA", "C:\\Users\\ada\\AppData\\Local"), "Windows 11", HOME));
        assertEquals(Path.of(HOME, "AppData", "Local", "qwen-asr"), ModelCache.defaultRoot(Map.of(), "Windows 10", HOME));
    }

    @Test
    void noHomeAndNoOverrideIsAClearError() {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> ModelCache.defaultRoot(Map.of(), "Linux", null));
        assertTrue(e.getMessage().contains("QWEN_ASR_CACHE"), e.getMessage());
    }

    @Test
    void modelDirectoryIsNamedAfterTheRepository(@TempDir Path root) {
        ModelCache cache = new ModelCache(root);
        assertEquals(root.resolve("Qwen3-ASR-0.6B"), cache.modelDir(ModelCatalog.ASR_0_6B));
        assertEquals(root.resolve("Qwen3-ASR-1.7B"), cache.modelDir(ModelCatalog.ASR_1_7B));
        assertEquals(root.resolve("Qwen3-ForcedAligner-0.6B"), cache.modelDir(ModelCatalog.ALIGNER));
    }

    @Test
    void completeOnlyWithARecordWhoseFilesAreAllThere(@TempDir Path root) throws IOException {
        ModelCache cache = new ModelCache(root);
        Path dir = cache.modelDir(ModelCatalog.ASR_0_6B);
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B));
        assertFalse(cache.isPartial(ModelCatalog.ASR_0_6B));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{}");
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B), "files without a record are not a finished download");
        assertTrue(cache.isPartial(ModelCatalog.ASR_0_6B));
        new CompletionRecord("Qwen/Qwen3-ASR-0.6B", "main", null, List.of(new CompletionRecord.Entry("config.json", 2, null))).write(dir);
        assertTrue(cache.isComplete(ModelCatalog.ASR_0_6B));
        Files.writeString(dir.resolve("config.json"), "{ }");
        assertFalse(cache.isComplete(ModelCatalog.ASR_0_6B), "a file of another size breaks completeness");
    }

    @Test
    void unreadableRecordDoesNotCount(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(CompletionRecord.FILE_NAME), "{\"files\": [{\"path\": \"../escape\", \"size\": 1}]}");
        assertFalse(CompletionRecord.isComplete(dir));
        Files.writeString(dir.resolve(CompletionRecord.FILE_NAME), "not json");
        assertFalse(CompletionRecord.isComplete(dir));
    }

    @Test
    void recordRoundTrips(@TempDir Path dir) throws IOException {
        CompletionRecord r = new CompletionRecord("Qwen/Qwen3-ASR-0.6B", "main", "abc123",
                List.of(new CompletionRecord.Entry("model.safetensors", 5, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                        new CompletionRecord.Entry("vocab.json", 7, null)));
        r.write(dir);
        assertEquals(r, CompletionRecord.read(dir).orElseThrow());
        CompletionRecord.remove(dir);
        assertTrue(CompletionRecord.read(dir).isEmpty());
        CompletionRecord.remove(dir);
    }
}
