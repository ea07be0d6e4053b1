package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Int8Quantizer;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The int8 mat-vec kernels against a double-precision reference on the real decoder shapes, at the
 * vector width of this JVM ({@link VectorWidth}; core/pom.xml runs this class once per width) and
 * with the scalar kernel.
 *
 * <p>The bound. The reference is the exact sum of (q * scale) * x in double. A kernel evaluates it
 * in float: every product and sum is rounded with unit roundoff u = 2^-24, and a term passes through
 * at most D roundings on its way to the result, so the error is at most about D * u times the sum of
 * the absolute values of the terms (the standard bound gamma_D = D u / (1 - D u)). The vector kernel's
 * terms are 256 * s * f * x (f in [1, 2)) and 384 * s * x, so their absolute sum is at most
 * 896 * sum(s |x|); D is at most k / lanes + log2(lanes) + 8 (one accumulator chain per lane within a
 * group, the group partials, the scale chain, the lane tree, the final subtraction). The scalar
 * kernel's terms are q * s * x with |q| <= 127, D at most k + 2. The bound is doubled for slack.
 * A wrong element order or scale gives errors of the size of the result, far above it.
 */
class Int8MatVecTest {
    /** out x in of q, k/v, o, gate/up, down of the 0.6B decoder, then of the 1.7B one. */
    private static final int[][] SHAPES_0_6B = {{2048, 1024}, {1024, 1024}, {1024, 2048}, {3072, 1024}, {1024, 3072}};
    private static final int[][] SHAPES_1_7B = {{2048, 2048}, {1024, 2048}, {6144, 2048}, {2048, 6144}};
    /**
     * Rows checked of the 1.7B shapes, and for the less used group sizes (rows are independent and
     * every column is checked; the 0.6B shapes are checked whole with one scale per row and groups of 64).
     */
    private static final int SOME_ROWS = 256;
    private static final int[] GROUPS = {0, 32, 64, 128};
    private static final int[] MAIN_GROUPS = {0, 64};
    private static final double U = Math.scalb(1.0, -24);

    static Int8Matrix randomMatrix(int n, int k, int group, long seed, Arena arena) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.05);
        // A few outliers, as real weights have: groups then matter.
        for (int i = 0; i < w.length; i += 997) w[i] *= 8;
        int g = Int8Quantizer.groupFor(k, group);
        byte[] q = new byte[n * k];
        float[] s = new float[n * (k / g)];
        Int8Quantizer.quantize(w, n, k, g, q, s);
        MemorySegment values = arena.allocate(q.length, 64);
        MemorySegment.copy(q, 0, values, ValueLayout.JAVA_BYTE, 0, q.length);
        MemorySegment scales = arena.allocate(4L * s.length, 64);
        MemorySegment.copy(s, 0, scales, Int8Matrix.SCALE_LAYOUT, 0, s.length);
        return new Int8Matrix("test." + n + "x" + k, n, k, g, values, scales);
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** Exact W[r] . x of the dequantized weights, and sum of s |x| over the row. */
    private static double[] reference(Int8Matrix w, float[] x, int xOff, int r) {
        int k = w.cols();
        byte[] q = w.values().asSlice((long) r * k, k).toArray(ValueLayout.JAVA_BYTE);
        double sum = 0;
        double mag = 0;
        for (int g = 0; g < w.groupsPerRow(); g++) {
            double s = w.scale(r, g);
            for (int e = g * w.groupSize(); e < (g + 1) * w.groupSize(); e++) {
                sum += q[Int8Matrix.storedIndex(e)] * s * x[xOff + e];
                mag += s * Math.abs(x[xOff + e]);
            }
        }
        return new double[] {sum, mag};
    }

    private static double vectorBound(int k, double mag) {
        int lanes = Int8MatVec.L;
        int depth = k / lanes + Integer.numberOfTrailingZeros(lanes) + 8;
        return 2 * depth * U * 896 * mag;
    }

    private static double scalarBound(int k, double mag) {
        return 2 * (k + 2) * U * 127 * mag;
    }

    @Test
    void widthIsTheOneAskedFor() {
        String bits = System.getProperty(VectorWidth.PROPERTY);
        if (bits != null) assertEquals(Integer.parseInt(bits), Int8MatVec.F.vectorBitSize());
        assertEquals(Int8MatVec.F, VectorWidth.FLOAT);
    }

    @Test
    void vectorAndScalarKernelsMatchDoubleOnRealShapes() {
        for (int group : GROUPS) {
            boolean main = java.util.Arrays.stream(MAIN_GROUPS).anyMatch(g -> g == group);
            check(SHAPES_0_6B, main ? Integer.MAX_VALUE : SOME_ROWS, group);
            check(SHAPES_1_7B, SOME_ROWS, group);
        }
    }

    private static void check(int[][] shapes, int maxRows, int group) {
        try (Arena arena = Arena.ofConfined()) {
            for (int[] shape : shapes) {
                int n = Math.min(shape[0], maxRows);
                int k = shape[1];
                float[] buf = random(k + 5, 3L * k + n);
                MatVecInput in = new MatVecInput(k, false, true).set(buf, 5, k);
                {
                    Int8Matrix w = randomMatrix(n, k, group, 17L * n + k + group, arena);
                    float[] got = new float[n + 1];
                    float[] scalar = new float[n + 1];
                    Int8MatVec.rows(w, in, 0, n, got, 1);
                    Int8MatVec.rowsScalar(w, buf, 5, 0, n, scalar, 1);
                    double worst = 0;
                    for (int r = 0; r < n; r++) {
                        double[] ref = reference(w, buf, 5, r);
                        String where = w.name() + " group " + w.groupSize() + " row " + r + " width " + Int8MatVec.F.vectorBitSize();
                        assertEquals(ref[0], got[r + 1], vectorBound(k, ref[1]), where);
                        assertEquals(ref[0], scalar[r + 1], scalarBound(k, ref[1]), where + " (scalar)");
                        worst = Math.max(worst, Math.abs(got[r + 1] - ref[0]) / vectorBound(k, ref[1]));
                    }
                    assertTrue(worst > 0, "the vector kernel is not exact: the bound is exercised");
                }
            }
        }
    }

    @Test
    void slicesOfRowsGiveTheSameBits() {
        try (Arena arena = Arena.ofConfined()) {
            int n = 100;
            int k = 1024;
            Int8Matrix w = randomMatrix(n, k, 64, 5, arena);
            MatVecInput in = new MatVecInput(k, false, true).set(random(k, 6), 0, k);
            float[] whole = new float[n];
            Int8MatVec.rows(w, in, 0, n, whole, 0);
            float[] parts = new float[n];
            Int8MatVec.rows(w, in, 0, 37, parts, 0);
            Int8MatVec.rows(w, in, 37, n, parts, 0);
            assertArrayEquals(whole, parts);
        }
    }

    @Test
    void batchedRowsEqualSingleRowsBitForBit() {
        try (Arena arena = Arena.ofConfined()) {
            for (int group : new int[] {0, 64, 32}) {
                int n = 24;
                int k = 1024;
                Int8Matrix w = randomMatrix(n, k, group, 11 + group, arena);
                MatVecInput[] inputs = new MatVecInput[8];
                float[] rows = random(8 * k + 3, 12);
                for (int i = 0; i < 8; i++) inputs[i] = new MatVecInput(k, false, true).set(rows, 3 + i * k, k);
                for (int b = 1; b <= 8; b++) {
                    int stride = n + 2;
                    float[] batched = new float[b * stride];
                    Int8MatVec.rowsBatch(w, inputs, b, 3, n, batched, 1, stride);
                    for (int i = 0; i < b; i++) {
                        float[] single = new float[n];
                        Int8MatVec.rows(w, inputs[i], 3, n, single, 0);
                        for (int r = 3; r < n; r++) {
                            assertEquals(Float.floatToIntBits(single[r]), Float.floatToIntBits(batched[i * stride + 1 + r]),
                                    "group " + group + " batch " + b + " input " + i + " row " + r);
                        }
                        assertEquals(0f, batched[i * stride], "rows before start untouched");
                    }
                }
            }
        }
    }

    @Test
    void inputOfTheWrongLengthOrFormIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            Int8Matrix w = randomMatrix(4, 128, 0, 1, arena);
            float[] y = new float[4];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Int8MatVec.rows(w, new MatVecInput(128, false, true).set(new float[128], 0, 64), 0, 4, y, 0));
            assertTrue(e.getMessage().contains("needs 128"), e.getMessage());
            IllegalStateException s = assertThrows(IllegalStateException.class,
                    () -> Int8MatVec.rows(w, new MatVecInput(128).set(new float[128], 0, 128), 0, 4, y, 0));
            assertTrue(s.getMessage().contains("int8"), s.getMessage());
        }
    }

    @Test
    void dequantizedPanelsAreTheRoundedProducts() {
        try (Arena arena = Arena.ofConfined()) {
            for (int group : GROUPS) {
                Int8Matrix w = randomMatrix(20, 512, group, 21 + group, arena);
                float[] dst = new float[7 * 256];
                Int8MatVec.dequantize(w, 5, 7, 256, 256, dst);
                for (int r = 0; r < 7; r++) {
                    for (int i = 0; i < 256; i++) {
                        int e = 256 + i;
                        float expect = w.value(5 + r, e) * w.scale(5 + r, e / w.groupSize());
                        assertEquals(expect, dst[r * 256 + i], "group " + group + " row " + (5 + r) + " col " + e);
                    }
                }
            }
        }
    }

    @Test
    void linearLayerMatchesDoubleForOneRowAndForMany() {
        try (Arena arena = Arena.ofShared()) {   // the pool's workers read it
            for (int[] shape : new int[][] {{64, 128}, {70, 320}, {3072, 1024}}) {
                int n = shape[0];
                int k = shape[1];
                for (int group : new int[] {0, 64}) {
                    Int8Weights w = new Int8Weights(randomMatrix(n, k, group, n + k + group, arena));
                    for (int m : new int[] {1, 3, 17}) {
                        if (n == 3072 && m == 17) continue;
                        float[] x = random(m * k, 7L * m + k);
                        for (int threads : new int[] {1, 2}) {
                            float[] y = new float[m * n];
                            try (Parallel par = new Parallel(threads)) {
                                w.linear(par, x, m, y);
                            }
                            for (int t = 0; t < m; t++) {
                                for (int r = 0; r < n; r++) {
                                    double[] ref = reference(w.matrix(), x, t * k, r);
                                    // The GEMM sums k products of dequantized weights: the scalar kernel's bound.
                                    assertEquals(ref[0], y[t * n + r], Math.max(vectorBound(k, ref[1]), scalarBound(k, ref[1])),
                                            w.name() + " m " + m + " row " + t + " out " + r + " threads " + threads);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void runSumsOfTheInputAreInOrder() {
        float[] x = random(200, 3);
        MatVecInput in = new MatVecInput(16, false, true).set(x, 4, 196);
        float[] sums = in.sums32();
        double total = 0;
        for (int c = 0; c < 7; c++) {
            double expect = 0;
            for (int i = 4 + 32 * c; i < Math.min(200, 4 + 32 * c + 32); i++) expect += x[i];
            assertEquals(expect, sums[c], 1e-5, "run " + c);
            total += expect;
        }
        assertEquals(total, in.total(), 1e-4);
    }
}
