package io.github.qwenasr.decoder;

import io.github.qwenasr.engine.EngineAccess;
import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The one-position decode path (fused dispatches, preallocated buffers) against the many-position
 * prefill path: causal attention means position p's logits may not depend on how the positions
 * before it were fed, so both must agree up to float summation order.
 */
class StepDecodeTest {
    @Test
    void decodeStepsMatchOnePrefillPass() throws Exception {
        Path dir = TestModels.model(Preset.TINY, 1234, null);
        for (int threads : new int[] {1, 2}) {
            try (QwenAsr asr = QwenAsr.load(dir, threads)) {
                TextDecoder dec = EngineAccess.model(asr).decoder();
                Parallel par = EngineAccess.model(asr).pool();
                int h = dec.config().hidden();
                int[] ids = {151644, 872, 198, 9707, 11, 1879, 0, 13, 358, 1079, 264, 1273, 151645, 198};
                int n = ids.length;
                int prefix = 6;
                float[] all = new float[n * h];
                for (int p = 0; p < n; p++) System.arraycopy(dec.embedToken(ids[p]), 0, all, p * h, h);

                float[] full = dec.forward(par, all.clone(), n, dec.newCache(n), false);
                float[] expect = dec.logits(par, full, n);

                KvCache cache = dec.newCache(4);   // small on purpose: the steps must grow it
                dec.forward(par, java.util.Arrays.copyOf(all, prefix * h), prefix, cache, true);
                int rows = dec.headRows();
                float[] got = new float[rows];
                for (int p = prefix; p < n; p++) {
                    float[] hidden = dec.forward(par, dec.embedToken(ids[p]), 1, cache, true);
                    dec.logitsInto(par, hidden, 1, got);
                    assertEquals(p + 1, cache.length());
                    double maxAbs = 0;
                    double maxDiff = 0;
                    for (int i = 0; i < rows; i++) {
                        maxAbs = Math.max(maxAbs, Math.abs(expect[p * rows + i]));
                        maxDiff = Math.max(maxDiff, Math.abs(expect[p * rows + i] - got[i]));
                    }
                    assertTrue(maxAbs > 0, "logits are all zero");
                    assertTrue(maxDiff <= 1e-4 * Math.max(1, maxAbs),
                            "position " + p + " threads " + threads + ": max difference " + maxDiff + " (max |logit| " + maxAbs + ")");
                }

                // Rolling back and decoding the same position again gives the same logits.
                cache.truncate(n - 1);
                float[] again = new float[rows];
                dec.logitsInto(par, dec.forward(par, dec.embedToken(ids[n - 1]), 1, cache, true), 1, again);
                assertArrayEquals(got, again);
            }
        }
    }
}
