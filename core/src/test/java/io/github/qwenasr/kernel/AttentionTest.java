package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The attention kernel's three cases (encoder windows, prefill, decode step) against a
 * double-precision reference computed from the definition, on shapes that reach every block and
 * tail of its loops; the windows also against the encoder's former loop (one dot product per key,
 * softmax, one axpy per value), whose arithmetic they keep.
 */
class AttentionTest {
    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** out of query row i, head h, from the definition; keys at [position][kvHeads * hd]. */
    static float[] reference(Attention.Heads h, float[] q, int n, float[] k, float[] v, Attention.Mask mask) {
        int hd = h.headDim();
        int kvd = h.kvHeads() * hd;
        float[] out = new float[n * h.width()];
        for (int i = 0; i < n; i++) {
            int lo = mask.causal() ? 0 : i - i % mask.window();
            int hi = mask.causal() ? mask.first() + i + 1 : Math.min(n, lo + mask.window());
            for (int head = 0; head < h.heads(); head++) {
                int g = head / h.group();
                int qo = i * h.width() + head * hd;
                double[] s = new double[hi - lo];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = lo; t < hi; t++) {
                    double dot = 0;
                    for (int d = 0; d < hd; d++) dot += (double) q[qo + d] * k[t * kvd + g * hd + d];
                    s[t - lo] = dot / Math.sqrt(hd);
                    max = Math.max(max, s[t - lo]);
                }
                double sum = 0;
                for (int t = 0; t < s.length; t++) sum += s[t] = Math.exp(s[t] - max);
                for (int d = 0; d < hd; d++) {
                    double acc = 0;
                    for (int t = lo; t < hi; t++) acc += s[t - lo] / sum * v[t * kvd + g * hd + d];
                    out[qo + d] = (float) acc;
                }
            }
        }
        return out;
    }

    /** Keys [position][kvHeads * hd] split into one [position][hd] array per kv head, as a cache holds them (longer). */
    static float[][] perHead(float[] rows, Attention.Heads h, int positions) {
        int hd = h.headDim();
        float[][] out = new float[h.kvHeads()][(positions + 5) * hd];
        for (float[] a : out) Arrays.fill(a, Float.NaN); // capacity past the positions must not be read
        for (int g = 0; g < h.kvHeads(); g++) {
            for (int t = 0; t < positions; t++) System.arraycopy(rows, t * h.kvHeads() * hd + g * hd, out[g], t * hd, hd);
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double relative, String what) {
        float max = 0;
        for (float e : expected) max = Math.max(max, Math.abs(e));
        assertArrayEquals(expected, actual, (float) (relative * Math.max(1, max)), what);
    }

    @ParameterizedTest
    @CsvSource({
        // heads, kv heads, head size, rows, window
        "3, 3, 64, 260, 104",    // encoder-like: two whole windows and a short one, blocks of rows and a tail block
        "2, 2, 64, 5, 104",      // one window shorter than a block
        "2, 2, 64, 97, 1000",    // one window over everything (FULL attention)
        "4, 2, 128, 70, 33",     // GQA group in windows
        "2, 2, 20, 50, 17",      // head size that no vector width divides into 4-vector slices
        "1, 1, 8, 9, 1"})        // one-row windows
    void windowsEqualTheDefinitionAndTheEncodersFormerLoop(int heads, int kvHeads, int hd, int n, int window) {
        Attention.Heads h = new Attention.Heads(heads, kvHeads, hd);
        Random rnd = new Random(heads * 31 + hd * 7 + n + window);
        float[] q = random(rnd, n * h.width());
        float[] k = random(rnd, n * kvHeads * hd);
        float[] v = random(rnd, n * kvHeads * hd);
        Attention.Mask mask = Attention.Mask.windows(window);
        float[] out = new float[n * h.width()];
        try (Parallel par = new Parallel(2)) {
            Attention.attend(par, h, q, n, Attention.KeyValues.rows(k, v, h), mask, out, new Attention.Buffers());
        }
        assertClose(reference(h, q, n, k, v, mask), out, 2e-5, "against the definition");
        assertClose(formerEncoderLoop(h, q, n, k, v, window), out, 1e-6, "against the former loop");
    }

    /**
     * The encoder's attention before the kernel existed (per query: dot products, softmax, axpys).
     * Same operations in the same order as the kernel; the tolerance only covers a lane reduction
     * run at another JIT tier (see AttentionRowsTest).
     */
    private static float[] formerEncoderLoop(Attention.Heads h, float[] q, int n, float[] k, float[] v, int window) {
        int hd = h.headDim();
        int d = h.width();
        int kvd = h.kvHeads() * hd;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] attn = new float[n * d];
        for (int s0 = 0; s0 < n; s0 += window) {
            int len = Math.min(window, n - s0);
            for (int head = 0; head < h.heads(); head++) {
                int ko = (head / h.group()) * hd;
                float[] scores = new float[len];
                for (int i = 0; i < len; i++) {
                    int qo = (s0 + i) * d + head * hd;
                    for (int j = 0; j < len; j++) scores[j] = MatMul.dot(q, qo, k, (s0 + j) * kvd + ko, hd) * scale;
                    Ops.softmax(scores, 0, len);
                    for (int j = 0; j < len; j++) MatMul.axpy(scores[j], v, (s0 + j) * kvd + ko, attn, qo, hd);
                }
            }
        }
        return attn;
    }

    @ParameterizedTest
    @CsvSource({
        // heads, kv heads, head size, cached positions before the block, new positions
        "4, 2, 128, 0, 37",     // a first prefill: three query blocks and a short one, GEMM panels
        "4, 2, 128, 50, 16",    // a later chunk over a longer cache
        "2, 1, 64, 3, 300",     // rows of 256+ positions (vectorised softmax)
        "4, 2, 20, 7, 21",      // head size off the panel width: dot-form blocks
        "2, 2, 128, 0, 2"})
    void prefillEqualsTheDefinition(int heads, int kvHeads, int hd, int first, int n) {
        Attention.Heads h = new Attention.Heads(heads, kvHeads, hd);
        Random rnd = new Random(heads * 131 + hd + first * 17 + n);
        int positions = first + n;
        float[] q = random(rnd, n * h.width());
        float[] k = random(rnd, positions * kvHeads * hd);
        float[] v = random(rnd, positions * kvHeads * hd);
        Attention.Mask mask = Attention.Mask.causal(first);
        float[] out = new float[n * h.width()];
        Attention.KeyValues cache = Attention.KeyValues.perHead(perHead(k, h, positions), perHead(v, h, positions), h);
        Attention.Buffers buffers = new Attention.Buffers();
        try (Parallel par = new Parallel(2)) {
            Attention.attend(par, h, q, n, cache, mask, out, buffers);
            assertClose(reference(h, q, n, k, v, mask), out, 2e-5, "prefill");
            // The same buffers again, for a shorter cache: panels packed before must not leak in.
            float[] again = new float[n * h.width()];
            Attention.attend(par, h, q, 1, cache, Attention.Mask.causal(0), again, buffers);
            assertClose(Arrays.copyOf(reference(h, q, 1, k, v, Attention.Mask.causal(0)), h.width()),
                    Arrays.copyOf(again, h.width()), 2e-5, "one position after a prefill");
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 8, 128, 159", "16, 8, 128, 3899", "4, 4, 64, 0", "6, 2, 20, 47"})
    void decodeStepEqualsTheDefinitionAndTheThreadCountDoesNotMatter(int heads, int kvHeads, int hd, int first) {
        Attention.Heads h = new Attention.Heads(heads, kvHeads, hd);
        Random rnd = new Random(first + hd);
        int positions = first + 1;
        float[] q = random(rnd, h.width());
        float[] k = random(rnd, positions * kvHeads * hd);
        float[] v = random(rnd, positions * kvHeads * hd);
        Attention.KeyValues cache = Attention.KeyValues.perHead(perHead(k, h, positions), perHead(v, h, positions), h);
        float[][] outs = new float[3][];
        for (int threads = 1; threads <= 3; threads++) {
            outs[threads - 1] = new float[h.width()];
            try (Parallel par = new Parallel(threads)) {
                Attention.attend(par, h, q, 1, cache, Attention.Mask.causal(first), outs[threads - 1], new Attention.Buffers());
            }
        }
        // Each kv head is one task whatever the thread count: the same arithmetic, up to the JIT
        // tier of a lane reduction (see AttentionRowsTest).
        for (float[] out : outs) assertClose(reference(h, q, 1, k, v, Attention.Mask.causal(first)), out, 2e-5, "step");
        assertClose(outs[0], outs[1], 1e-6, "two threads");
        assertClose(outs[0], outs[2], 1e-6, "three threads");
    }

    @ParameterizedTest
    @CsvSource({"3, 2, 8", "0, 2, 8", "2, 2, 0"})
    void badHeadsAreRefused(int heads, int kvHeads, int hd) {
        assertThrows(IllegalArgumentException.class, () -> new Attention.Heads(heads, kvHeads, hd));
    }

    @ParameterizedTest
    @CsvSource({"true, -1, 0", "false, 0, 0"})
    void badMasksAreRefused(boolean causal, int first, int window) {
        assertThrows(IllegalArgumentException.class, () -> new Attention.Mask(causal, first, window));
    }

    @ParameterizedTest
    @CsvSource({"2", "3"})
    void tooSmallBuffersAreRefused(int n) {
        Attention.Heads h = new Attention.Heads(2, 2, 8);
        float[] q = new float[2 * h.width()];
        float[] k = new float[n * h.width()];
        assertEquals("attention: buffers too small for 3 positions", assertThrows(IllegalArgumentException.class, () -> {
            try (Parallel par = new Parallel(1)) {
                Attention.attend(par, h, q, 3, Attention.KeyValues.rows(k, k, h), Attention.Mask.windows(4), q, new Attention.Buffers());
            }
        }).getMessage());
    }
}
