package io.github.qwenasr.decoder;

import io.github.qwenasr.engine.EngineAccess;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TestArrays;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tools.Preset;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A long prefill run a chunk of rows at a time (bounded scratch) must leave the hidden states and
 * cache entries of one pass over all rows: the rows' arithmetic does not change, only the order in
 * which rows are visited. Compiled code gives identical bits; the bound allows for the last-bit
 * rounding of lane reductions that differs between JIT tiers: a method first reached in the
 * chunked pass may still run interpreted, and over four layers that moved values by up to 2.4e-6
 * of their size in CI (a wrong mask or position moves them by far more).
 */
class ChunkedPrefillTest {
    /** Of the largest expected value: see the class comment. */
    private static final double TOLERANCE = 2e-5;

    @Test
    void chunkedPrefillMatchesOnePass() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2)) {
            TextDecoder dec = EngineAccess.model(asr).decoder();
            Parallel par = EngineAccess.model(asr).pool();
            int h = dec.config().hidden();
            int n = 611; // not a multiple of the chunk, the GEMM row group or the attention block
            // (chunks are rounded to multiples of 64 rows: 64, 128, 320 and 640 here)
            Random r = new Random(3);
            float[] x = new float[n * h];
            for (int p = 0; p < n; p++) System.arraycopy(dec.embedToken(r.nextInt(150_000)), 0, x, p * h, h);

            for (int warm = 0; warm < 3; warm++) dec.forward(par, x.clone(), n, dec.newCache(n + 1), false, Integer.MAX_VALUE);
            KvCache whole = dec.newCache(n + 1);
            float[] expected = dec.forward(par, x.clone(), n, whole, false, Integer.MAX_VALUE);
            for (int chunk : new int[] {64, 100, 305, 1000}) {
                KvCache chunked = dec.newCache(16); // small: it grows chunk by chunk
                float[] actual = dec.forward(par, x.clone(), n, chunked, false, chunk);
                TestArrays.assertClose(expected, actual, TOLERANCE, "hidden states, chunk " + chunk);
                assertEquals(n, chunked.length());
                int used = n * dec.config().headDim();
                for (int l = 0; l < dec.config().layers(); l++) {
                    for (int kvh = 0; kvh < dec.config().kvHeads(); kvh++) {
                        String where = l + "/" + kvh;
                        TestArrays.assertClose(Arrays.copyOf(whole.keys(l, kvh), used), Arrays.copyOf(chunked.keys(l, kvh), used),
                                TOLERANCE, "keys " + where);
                        TestArrays.assertClose(Arrays.copyOf(whole.values(l, kvh), used),
                                Arrays.copyOf(chunked.values(l, kvh), used), TOLERANCE, "values " + where);
                    }
                }
            }
            // The public entry point takes the chunked path only above PREFILL_CHUNK rows.
            float[] viaDefault = dec.forward(par, x.clone(), n, dec.newCache(n), true);
            TestArrays.assertClose(Arrays.copyOfRange(expected, (n - 1) * h, n * h), viaDefault, TOLERANCE, "last row");
        }
    }
}
