package io.github.qwenasr.encoder;

import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.engine.EngineAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TestArrays;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A long input encoded a group of whole attention windows at a time (and its conv_out in row
 * blocks), to bound scratch memory, must give the encoder output of one pass over all rows: each
 * row's arithmetic is unchanged. The bound allows only for the JIT-tier rounding of lane
 * reductions (a method first reached in the grouped pass may still run interpreted); a window cut
 * in the wrong place changes values by far more.
 */
class GroupedEncoderTest {
    /** Of the largest expected value: see the class comment. */
    private static final double TOLERANCE = 2e-5;

    @Test
    void groupedPassesGiveTheOnePassOutput() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2)) {
            AudioEncoder enc = EngineAccess.model(asr).encoder();
            Parallel par = EngineAccess.model(asr).pool();
            float[] clip = AudioLoader.load16k(
                    TestModels.shared().resolve("data/audio/notld_45s_right_through_the_billboard.wav"));
            // 40.03 s: 4003 frames, a tail chunk of 3 frames that yields a single row.
            LogMel.Features mel = LogMel.compute(Arrays.copyOf(clip, 40 * 16000 + 480));
            int a = enc.tokenCount(mel.frames());
            assertEquals(13 * 40 + 1, a);
            for (int warm = 0; warm < 2; warm++) {
                enc.encode(par, mel.data(), mel.frames(), EncoderAttention.WINDOWED, Integer.MAX_VALUE);
            }
            float[] whole = enc.encode(par, mel.data(), mel.frames(), EncoderAttention.WINDOWED, Integer.MAX_VALUE);
            for (int group : new int[] {1, 104, 208, 500}) {
                float[] grouped = enc.encode(par, mel.data(), mel.frames(), EncoderAttention.WINDOWED, group);
                TestArrays.assertClose(whole, grouped, TOLERANCE, "group " + group);
            }
            // Full attention has one window: the grouping must not split it.
            float[] full = enc.encode(par, mel.data(), mel.frames(), EncoderAttention.FULL, Integer.MAX_VALUE);
            TestArrays.assertClose(full, enc.encode(par, mel.data(), mel.frames(), EncoderAttention.FULL, 104), TOLERANCE, "full");
        }
    }
}
