package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.github.qwenasr.align.ForcedAligner;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.weights.WeightStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@link AutoCloseable#close()} called a second time does nothing (as its contract recommends), so a
 * caller that closes explicitly and again in a try-with-resources, or two owners closing one model,
 * get no exception.
 */
class CloseTwiceTest {
    private static Path tiny() throws IOException {
        return TestModels.model(Preset.TINY, 1234, null);
    }

    @Test
    void modelClosedTwice() throws IOException {
        for (int threads : new int[] {1, 2}) {
            QwenAsr asr = QwenAsr.load(tiny(), threads);
            asr.close();
            assertDoesNotThrow(asr::close);
        }
    }

    @Test
    void alignerClosedTwice() throws IOException {
        ForcedAligner aligner = ForcedAligner.load(TestModels.model(Preset.TINY_ALIGNER, 1234, null), 2);
        aligner.close();
        assertDoesNotThrow(aligner::close);
    }

    @Test
    void partsAndWeightsClosedTwice() throws IOException {
        Path dir = tiny();
        ModelConfig config = ModelConfig.load(dir);
        Model model = Model.open(dir, config, 2);
        model.close();
        assertDoesNotThrow(model::close);

        WeightStore weights = WeightStore.open(dir);
        weights.close();
        assertDoesNotThrow(weights::close);
    }
}
