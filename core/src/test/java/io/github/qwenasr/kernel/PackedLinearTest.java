package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pre-packed linear layer, fed by the documented packed-input layout, against the scalar reference. */
class PackedLinearTest {
    private static Tensor bf16(int n, int k, long seed) {
        Random r = new Random(seed);
        MemorySegment seg = Arena.ofAuto().allocate((long) n * k * 2, 64);
        for (long i = 0; i < (long) n * k; i++) {
            seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2,
                    (short) (Float.floatToIntBits((float) r.nextGaussian()) >>> 16));
        }
        return new Tensor("w", DType.BF16, new long[] {n, k}, seg, "test");
    }

    private static void check(int threads, int m, int n, int k, boolean withBias) {
        Tensor w = bf16(n, k, 17L * n + k);
        Random r = new Random(m * 31L + k);
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] bias = null;
        if (withBias) {
            bias = new float[n];
            for (int i = 0; i < n; i++) bias[i] = (float) r.nextGaussian();
        }
        float[] expect = new float[m * n];
        MatMul.linearReference(x, m, w, bias, expect);
        float[] xp = new float[PackedLinear.packedLength(m, k)];
        for (int t = 0; t < m; t++) {
            for (int i = 0; i < k; i++) xp[PackedLinear.packedIndex(t, i, k)] = x[t * k + i];
        }
        PackedLinear layer = new PackedLinear(w, bias);
        assertEquals(n, layer.outFeatures());
        assertEquals(k, layer.inFeatures());
        float[] got = new float[m * n];
        try (Parallel par = new Parallel(threads)) {
            layer.apply(par, xp, m, got);
        }
        double tol = 1e-5 * Math.sqrt(k) * 4;
        for (int i = 0; i < m * n; i++) {
            assertEquals(expect[i], got[i], tol, "m=" + m + " n=" + n + " k=" + k + " threads=" + threads + " at " + i);
        }
    }

    @Test
    void matchesTheReference() {
        int nr = PackedLinear.featureAlign();
        for (int threads : new int[] {1, 2}) {
            for (int m : new int[] {1, 3, 4, 9, 203}) {
                check(threads, m, 2 * nr, 9, true);
                check(threads, m, 3 * nr, 600, m % 2 == 0);
            }
        }
    }

    @Test
    void rowMajorGemmAcrossSeveralTokenAndKBlocks() {
        // More tokens than one token block and k over two k-blocks with a short third one.
        int m = 203, n = 3 * PackedLinear.featureAlign(), k = 520;
        Tensor w = bf16(n, k, 5);
        Random r = new Random(6);
        float[] x = new float[m * k];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] expect = new float[m * n];
        MatMul.linearReference(x, m, w, null, expect);
        for (int threads : new int[] {1, 2}) {
            float[] got = new float[m * n];
            try (Parallel par = new Parallel(threads)) {
                MatMul.linear(par, x, m, w, null, got);
            }
            for (int i = 0; i < m * n; i++) assertEquals(expect[i], got[i], 1e-5 * Math.sqrt(k) * 4, "at " + i);
        }
    }

    @Test
    void rejectsRowCountsOffThePanelWidth() {
        assertFalse(PackedLinear.supports(bf16(PackedLinear.featureAlign() + 1, 4, 1)));
        assertThrows(IllegalArgumentException.class, () -> new PackedLinear(bf16(3, 4, 1), null));
    }
}
