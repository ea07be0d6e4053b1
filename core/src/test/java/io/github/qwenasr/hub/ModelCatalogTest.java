package io.github.qwenasr.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official repository ids (docs/modes.md 12.1.10: the earlier engine used a wrong aligner id) and name lookup. */
class ModelCatalogTest {
    @Test
    void officialRepositoryIds() {
        assertEquals("Qwen/Qwen3-ASR-0.6B", ModelCatalog.ASR_0_6B.repoId());
        assertEquals("Qwen/Qwen3-ASR-1.7B", ModelCatalog.ASR_1_7B.repoId());
        assertEquals("Qwen/Qwen3-ForcedAligner-0.6B", ModelCatalog.ALIGNER.repoId());
        assertEquals("Qwen3-ForcedAligner-0.6B", ModelCatalog.ALIGNER.repoName());
        assertEquals(ModelCatalog.ASR_0_6B, ModelCatalog.DEFAULT);
        assertEquals("main", ModelCatalog.DEFAULT_REVISION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.6b", "0.6B", " 0.6b ", "Qwen3-ASR-0.6B", "qwen3-asr-0.6b", "Qwen/Qwen3-ASR-0.6B"})
    void findsByShortNameRepoNameOrIdInAnyCase(String name) {
        assertEquals(Optional.of(ModelCatalog.ASR_0_6B), ModelCatalog.find(name));
    }

    @Test
    void otherNames() {
        assertEquals(Optional.of(ModelCatalog.ASR_1_7B), ModelCatalog.find("1.7b"));
        assertEquals(Optional.of(ModelCatalog.ALIGNER), ModelCatalog.find("aligner"));
        assertEquals(Optional.of(ModelCatalog.ALIGNER), ModelCatalog.find("Qwen/Qwen3-ForcedAligner-0.6B"));
        assertTrue(ModelCatalog.find("0.6").isEmpty());
        assertTrue(ModelCatalog.find("all").isEmpty(), "'all' is the command's business, not a model");
        assertTrue(ModelCatalog.find("Qwen/Qwen3-ASR-ForcedAligner-0.6B").isEmpty(), "the earlier engine's wrong id");
    }
}
