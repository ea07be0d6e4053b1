package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.kernel.KernelPaths.Mode;
import io.github.qwenasr.kernel.KernelPaths.Path;
import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every micro-kernel, block and tail of every kernel runs at the width of this JVM (core/pom.xml
 * runs the kernel tests once per width and on the scalar path, docs/kernels.md 6), on shapes
 * derived from the width, and gives the right result there. Each test runs one kernel's shapes
 * through its entry points, checks the results against a reference, then checks which paths the
 * kernel marked ({@link KernelPaths}): exactly the ones of this width's mode, so a path that no
 * shape reaches, or a vector path run on the scalar setting, fails.
 */
class KernelPathsTest {
    private static final int L = VectorWidth.FLOAT.length();

    @BeforeAll
    static void marksNeedAssertions() {
        assertTrue(KernelPaths.class.desiredAssertionStatus(), "the path marks are assert statements: run the tests with -ea");
    }

    @BeforeEach
    void clear() {
        KernelPaths.clear();
    }

    /** The paths of a kernel that this width's mode runs (one GEMM micro-kernel per width). */
    private static Set<Path> expected(String kernel) {
        Set<Path> out = EnumSet.noneOf(Path.class);
        for (Path p : Path.values()) {
            if (p.kernel().equals(kernel) && (p.mode() == Mode.BOTH || (p.mode() == Mode.SCALAR) == VectorWidth.SCALAR)) out.add(p);
        }
        out.remove(Gemm.MR == 8 ? Path.GEMM_KERNEL4 : Path.GEMM_KERNEL8);
        return out;
    }

    private static void assertPaths(String kernel) {
        Set<Path> marked = EnumSet.noneOf(Path.class);
        for (Path p : KernelPaths.marked()) {
            if (p.kernel().equals(kernel)) marked.add(p);
        }
        assertEquals(expected(kernel), marked, kernel + " paths at " + (VectorWidth.SCALAR ? "scalar" : VectorWidth.FLOAT.vectorBitSize() + " bits"));
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    /** Element-wise within tol times (1 + |expected|): a wrong element or a skipped block is off by O(1). */
    private static void assertClose(float[] expected, float[] actual, int n, double tol, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    @Test
    void gemm() {
        Random rnd = new Random(1);
        int n = 2 * Gemm.NR;
        // Whole token groups (gathered) and a partial one; two k-blocks, the second short.
        int m = 2 * Gemm.MR + 1;
        for (int k : new int[] {300, 257}) {   // 257: an odd k-block (copied panels, copied tokens)
            Tensor w = KernelFixtures.randomTensor(DType.BF16, n, k, k);
            float[] x = random(rnd, m * k);
            float[] bias = random(rnd, n);
            float[] expect = new float[m * n];
            MatMul.linearReference(x, m, w, bias, expect);
            float[] y = new float[m * n];
            Gemm.run(x, m, k, w, bias, y, n, 0, n);
            assertClose(expect, y, m * n, 1e-4, "bf16 k " + k);
        }
        Tensor f32 = KernelFixtures.randomTensor(DType.F32, n, 64, 2);
        float[] x = random(rnd, m * 64);
        float[] expect = new float[m * n];
        MatMul.linearReference(x, m, f32, null, expect);
        float[] y = new float[m * n];
        Gemm.run(x, m, 64, f32, null, y, n, 0, n);
        assertClose(expect, y, m * n, 1e-4, "f32");
        // Panels packed once (the convolutions) and int8 weights dequantized while packing.
        PackedLinear packed = new PackedLinear(f32, null);
        float[] xp = new float[PackedLinear.packedLength(m, 64)];
        for (int t = 0; t < m; t++) {
            for (int i = 0; i < 64; i++) xp[PackedLinear.packedIndex(t, i, 64)] = x[t * 64 + i];
        }
        java.util.Arrays.fill(y, 0f);
        try (Parallel par = new Parallel(1)) {
            packed.apply(par, xp, m, y);
        }
        assertClose(expect, y, m * n, 1e-4, "packed");
        try (Arena arena = Arena.ofConfined()) {
            Int8Matrix q = Int8MatVecTest.randomMatrix(n, 128, 0, 3, arena);
            float[] xq = random(rnd, m * 128);
            float[] deq = new float[n * 128];
            Int8MatVec.dequantize(q, 0, n, 0, 128, deq);
            float[] ref = new float[m * n];
            for (int t = 0; t < m; t++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int i = 0; i < 128; i++) s += (double) xq[t * 128 + i] * deq[j * 128 + i];
                    ref[t * n + j] = (float) s;
                }
            }
            Gemm.runInt8(xq, m, 128, q, y, n, 0, n);
            assertClose(ref, y, m * n, 1e-4, "int8");
        }
        assertPaths("Gemm");
    }

    @Test
    void matMul() {
        Random rnd = new Random(2);
        // One input covers the bf16 mat-vec's double blocks, one more block and a tail.
        int k = 10 * L + 3;
        Tensor w = KernelFixtures.randomTensor(DType.BF16, 9, k, 4);
        float[] x = random(rnd, k);
        float[] expect = new float[9];
        MatMul.linearReference(x, 1, w, null, expect);
        float[] y = new float[9];
        MatMul.matVecRows(w, new MatVecInput(k).set(x, 0, k), 0, 9, y, 0);
        assertClose(expect, y, 9, 1e-4, "bf16 mat-vec");
        Tensor f32 = KernelFixtures.randomTensor(DType.F32, 5, k, 5);
        MatMul.linearReference(x, 1, f32, null, expect);
        MatMul.matVecRows(f32, new MatVecInput(k).set(x, 0, k), 0, 5, y, 0);
        assertClose(expect, y, 5, 1e-4, "f32 mat-vec");
        // Features past the last whole panel: the dot-form 4 x 4 tile and its edges.
        int n = Gemm.NR + 5;
        int m = 5;
        Tensor ragged = KernelFixtures.randomTensor(DType.BF16, n, 40, 6);
        float[] xs = random(rnd, m * 40);
        float[] ref = new float[m * n];
        MatMul.linearReference(xs, m, ragged, null, ref);
        float[] ys = new float[m * n];
        try (Parallel par = new Parallel(1)) {
            MatMul.linear(par, xs, m, ragged, null, ys);
        }
        assertClose(ref, ys, m * n, 1e-4, "ragged features");
        float[] a = random(rnd, L + 3);
        float[] b = random(rnd, L + 3);
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += (double) a[i] * b[i];
        assertEquals(dot, MatMul.dot(a, 0, b, 0, a.length), 1e-5);
        float[] sum = b.clone();
        MatMul.axpy(0.5f, a, 0, sum, 0, a.length);
        for (int i = 0; i < a.length; i++) assertEquals(b[i] + 0.5 * a[i], sum[i], 1e-6);
        assertPaths("MatMul");
    }

    @Test
    void int8MatVec() {
        Random rnd = new Random(3);
        try (Arena arena = Arena.ofConfined()) {
            // One scale per row of 256 (folded every 128), of 192 (every 64), groups of 64 and of 32.
            int[][] shapes = {{256, 0}, {192, 0}, {256, 64}, {128, 32}};
            for (int[] shape : shapes) {
                int k = shape[0];
                Int8Matrix w = Int8MatVecTest.randomMatrix(6, k, shape[1], k + shape[1], arena);
                float[] deq = new float[6 * k];
                Int8MatVec.dequantize(w, 0, 6, 0, k, deq);
                for (int r = 0; r < 6; r++) {
                    for (int e = 0; e < k; e++) assertEquals(w.value(r, e) * w.scale(r, e / w.groupSize()), deq[r * k + e]);
                }
                // Five inputs: a batched tile of four and one more.
                MatVecInput[] in = new MatVecInput[5];
                float[][] xs = new float[5][];
                for (int i = 0; i < 5; i++) {
                    xs[i] = random(rnd, k);
                    in[i] = new MatVecInput(k, false, true).set(xs[i], 0, k);
                }
                float[] batch = new float[5 * 6];
                Int8MatVec.rowsBatch(w, in, 5, 0, 6, batch, 0, 6);
                float[] one = new float[6];
                for (int i = 0; i < 5; i++) {
                    Int8MatVec.rows(w, in[i], 0, 6, one, 0);
                    float[] ref = new float[6];
                    for (int r = 0; r < 6; r++) {
                        double s = 0;
                        for (int e = 0; e < k; e++) s += (double) deq[r * k + e] * xs[i][e];
                        ref[r] = (float) s;
                    }
                    assertClose(ref, one, 6, 1e-3, "int8 k " + k + " group " + shape[1]);
                    assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, i * 6, i * 6 + 6), "batched equals single");
                }
            }
        }
        assertPaths("Int8MatVec");
    }

    @Test
    void matVecInput() {
        // Whole runs of 32, a partial one, and a tail shorter than the bf16 order's block.
        int k = 71;
        float[] x = random(new Random(4), k + 2);
        MatVecInput in = new MatVecInput(k, true, true).set(x, 2, k);
        for (int c = 0; c * 32 < k; c++) {
            double s = 0;
            for (int i = c * 32; i < Math.min(k, c * 32 + 32); i++) s += x[2 + i];
            assertEquals(s, in.sums32()[c], 1e-5, "run " + c);
        }
        int block = 2 * MatMul.L;
        for (int i = 0; i < k; i++) {
            int b = i / block * block;
            int expected = b + block <= k ? b + (i - b < MatMul.L ? 2 * (i - b) : 2 * (i - b - MatMul.L) + 1) : i;
            assertEquals(x[2 + expected], in.ordered()[i], "ordered " + i);
        }
        assertPaths("MatVecInput");
    }

    @Test
    void softmax() {
        int n = Ops.VECTOR_SOFTMAX_MIN + 3;
        float[] x = random(new Random(5), n);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - max);
        float[] p = x.clone();
        Ops.softmax(p, 0, n);
        for (int i = 0; i < n; i++) assertEquals(Math.exp(x[i] - max) / sum, p[i], 1e-6 * (1 + Math.exp(x[i] - max) / sum));
        assertPaths("Ops");
    }

    @Test
    void attention() {
        Random rnd = new Random(6);
        try (Parallel par = new Parallel(2)) {
            // Head sizes on and off the GEMM panels (prefill), a decode step, windows.
            for (int hd : new int[] {Gemm.NR, 4 * L + 3}) {
                Attention.Heads h = new Attention.Heads(4, 2, hd);
                int n = 20;
                float[] q = random(rnd, n * h.width());
                float[] k = random(rnd, (n + 3) * 2 * hd);
                float[] v = random(rnd, (n + 3) * 2 * hd);
                for (Attention.Mask mask : new Attention.Mask[] {Attention.Mask.causal(3), Attention.Mask.windows(7)}) {
                    float[] out = new float[n * h.width()];
                    Attention.KeyValues kv = mask.causal() ? cache(k, v, h, n + 3) : Attention.KeyValues.rows(k, v, h);
                    Attention.attend(par, h, q, n, kv, mask, out, new Attention.Buffers());
                    assertClose(AttentionTest.reference(h, q, n, k, v, mask), out, n * h.width(), 2e-5, hd + " " + mask);
                    float[] step = new float[h.width()];
                    Attention.attend(par, h, q, 1, cache(k, v, h, n + 3), Attention.Mask.causal(n + 2), step, new Attention.Buffers());
                    assertClose(AttentionTest.reference(h, q, 1, k, v, Attention.Mask.causal(n + 2)), step, h.width(), 2e-5, "step");
                }
            }
        }
        assertPaths("Attention");
    }

    private static Attention.KeyValues cache(float[] k, float[] v, Attention.Heads h, int positions) {
        return Attention.KeyValues.perHead(AttentionTest.perHead(k, h, positions), AttentionTest.perHead(v, h, positions), h);
    }

    @Test
    void attentionRows() {
        // The dot-form loops are not used on the scalar path: there they must not run at all.
        Random rnd = new Random(7);
        if (!VectorWidth.SCALAR) {
            // Head size in whole 4-vector slices: 7 rows (4 + 2 + 1 for scores, 3 + 3 + 1 for sums),
            // then 5 (3 + 2); keys past two 48-key tiles with a remainder of 7; more than one
            // 64-position value tile shared by every row, then each row's own positions. Then a
            // head size with a short slice and a lane remainder: the per-row loop.
            for (int hd : new int[] {4 * L, 4 * L + 3}) {
                for (int nr : new int[] {7, 5}) {
                    int positions = 103;
                    float[] q = random(rnd, nr * hd);
                    float[] kc = random(rnd, positions * hd);
                    float[] vc = random(rnd, positions * hd);
                    int[] offs = new int[nr];
                    int[] visible = new int[nr];
                    for (int r = 0; r < nr; r++) {
                        offs[r] = r * hd;
                        visible[r] = positions - r;
                    }
                    float scale = (float) (1 / Math.sqrt(hd));
                    float[] out = new float[nr * hd];
                    AttentionRows.rows(q, offs, nr, kc, vc, hd, 0, hd, visible, scale, new float[nr * positions], 0, out, offs);
                    for (int r = 0; r < nr; r++) {
                        Attention.Heads one = new Attention.Heads(1, 1, hd);
                        float[] expect = AttentionTest.reference(one, java.util.Arrays.copyOfRange(q, r * hd, r * hd + hd), 1, kc, vc,
                                Attention.Mask.causal(visible[r] - 1));
                        assertClose(expect, java.util.Arrays.copyOfRange(out, r * hd, r * hd + hd), hd, 2e-5, "row " + r);
                    }
                }
            }
        } else {
            try (Parallel par = new Parallel(1)) {
                Attention.Heads h = new Attention.Heads(2, 2, 4 * L);
                float[] x = random(rnd, 9 * h.width());
                Attention.attend(par, h, x, 9, Attention.KeyValues.rows(x, x, h), Attention.Mask.windows(4), new float[x.length],
                        new Attention.Buffers());
            }
        }
        assertPaths("AttentionRows");
    }

    @Test
    void inputMajorMatVec() {
        // Four-vector blocks, single vectors and a scalar tail of outputs; every width gives the scalar bits.
        int n = 5 * L + 3;
        int k = 6;
        Random rnd = new Random(8);
        float[] wt = random(rnd, k * n);
        float[] x = random(rnd, k);
        float[] bias = random(rnd, n);
        float[] expect = new float[n];
        InputMajorMatVec.SCALAR.run(wt, k, n, x, 0, bias, expect, 0);
        float[] y = new float[n];
        InputMajorMatVec.forWidth().run(wt, k, n, x, 0, bias, y, 0);
        assertArrayEquals(expect, y);
        for (int o = 0; o < n; o++) {
            double s = 0;
            for (int i = 0; i < k; i++) s += (double) x[i] * wt[i * n + o];
            assertEquals(s + bias[o], expect[o], 1e-5);
        }
        assertPaths("InputMajorMatVec");
    }

    @Test
    void resampler() {
        // 44.1 kHz to 16 kHz: rows of 354 taps, padded to a width that is not a whole number of
        // four-vector blocks at 128, 256 or 512 bits. A constant stays constant (unit DC gain).
        float[] ones = new float[44100];
        java.util.Arrays.fill(ones, 1f);
        float[] out = Resampler.resample(ones, 44100, 16000);
        for (int i = 200; i < out.length - 200; i++) assertEquals(1f, out[i], 1e-5, "sample " + i);
        assertPaths("PolyphaseFilter");
    }
}
