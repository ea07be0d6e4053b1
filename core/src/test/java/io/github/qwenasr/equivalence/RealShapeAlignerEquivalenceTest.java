package io.github.qwenasr.equivalence;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real Qwen3-ForcedAligner-0.6B shapes (24-layer 1024-wide encoder, 28-layer decoder, 152064
 * embedding rows, 5000-class head): weights regenerated from the seed (about 1.8 GB under target/),
 * compared with the official aligner's goldens for the same checkpoint (docs/model.md 7).
 */
class RealShapeAlignerEquivalenceTest {
    @Test
    void realShapedAlignerMatchesTheOfficialPackage() throws Exception {
        GoldenManifest golden = GoldenManifest.load("aligner");
        Path dir = TestModels.model(Preset.ALIGNER, golden.seed(), golden.sha256("model.safetensors"));
        try (ForcedAligner aligner = ForcedAligner.load(dir, Math.max(1, Math.min(16, Runtime.getRuntime().availableProcessors())))) {
            assertEquals("Qwen3-ForcedAligner-0.6B", aligner.info().variant());
            assertEquals(400.0, aligner.maxSeconds(), 1e-9, "5000 classes of 80 ms");
            assertTrue(AlignerEquivalenceTest.checkAll(golden, aligner, "aligner") >= 3);
        }
    }
}
