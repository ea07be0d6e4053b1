package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import org.junit.jupiter.api.Test;

/** Every fast path of MatMul against the double-precision scalar reference. */
class MatMulTest {
    private static void check(int threads, DType dtype, int m, int n, int k, boolean bias) {
        Tensor w = KernelFixtures.randomTensor(dtype, n, k, 31L * n + k);
        float[] x = KernelFixtures.random(m * k, m + 7L * k);
        float[] b = bias ? KernelFixtures.random(n, 99) : null;
        float[] expect = new float[m * n];
        MatMul.linearReference(x, m, w, b, expect);
        float[] got = new float[m * n];
        try (Parallel par = new Parallel(threads)) {
            MatMul.linear(par, x, m, w, b, got);
        }
        for (int i = 0; i < m * n; i++) {
            double tol = 1e-5 * Math.sqrt(k) * 4;
            assertEquals(expect[i], got[i], tol, "m=" + m + " n=" + n + " k=" + k + " " + dtype + " threads=" + threads + " at " + i);
        }
    }

    @Test
    void matVecMatchesReference() {
        for (int threads : new int[] {1, 2, 3}) {
            check(threads, DType.BF16, 1, 67, 1024, true);
            check(threads, DType.BF16, 1, 16, 9, false);
            check(threads, DType.BF16, 1, 5, 100, false);
            check(threads, DType.F32, 1, 33, 130, true);
        }
        // Every path of the even/odd kernel for 256- and 512-bit vectors: only whole double
        // blocks, one extra block, a tail shorter than a block, and all of them together.
        for (int k : new int[] {1, 15, 16, 17, 31, 48, 53, 64, 96, 101, 3072}) {
            check(2, DType.BF16, 1, 9, k, false);
        }
    }

    @Test
    void preparedInputSlicesEqualWholeMatVec() {
        int n = 70;
        int k = 200;
        Tensor w = KernelFixtures.randomTensor(DType.BF16, n, k, 5);
        float[] buf = KernelFixtures.random(k + 3, 6);
        float[] x = java.util.Arrays.copyOfRange(buf, 3, k + 3);
        float[] expect = new float[n];
        MatMul.linearReference(x, 1, w, null, expect);
        MatVecInput in = new MatVecInput(8).set(buf, 3, k);
        assertEquals(k, in.length());
        float[] got = new float[n + 2];
        MatMul.matVecRows(w, in, 0, 31, got, 2);
        MatMul.matVecRows(w, in, 31, n, got, 2);
        for (int r = 0; r < n; r++) assertEquals(expect[r], got[r + 2], 1e-3, "row " + r);
        // The same slice computed again gives the same bits: lanes are summed in a fixed order.
        float[] again = new float[n + 2];
        MatMul.matVecRows(w, in, 0, n, again, 2);
        assertArrayEquals(got, again);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatMul.matVecRows(w, new MatVecInput(k).set(x, 0, k - 1), 0, 1, got, 0));
        assertTrue(e.getMessage().contains("needs 200"), e.getMessage());
    }

    @Test
    void manyRowsMatchReference() {
        for (int threads : new int[] {1, 2}) {
            for (int m : new int[] {2, 3, 4, 5, 17}) {
                check(threads, DType.BF16, m, 37, 96, true);
                check(threads, DType.BF16, m, 64, 9, true);
                check(threads, DType.F32, m, 13, 50, false);
            }
        }
        check(2, DType.BF16, 41, 130, 4320, true);
    }

    @Test
    void dotAndAxpyMatchScalar() {
        float[] a = KernelFixtures.random(133, 1);
        float[] b = KernelFixtures.random(140, 2);
        double s = 0;
        for (int i = 0; i < 130; i++) s += a[i + 3] * b[i + 10];
        assertEquals(s, MatMul.dot(a, 3, b, 10, 130), 1e-4);
        float[] y = b.clone();
        MatMul.axpy(0.5f, a, 3, y, 10, 130);
        for (int i = 0; i < 130; i++) assertEquals(b[i + 10] + 0.5f * a[i + 3], y[i + 10], 1e-6);
        assertEquals(b[0], y[0]);
    }

    @Test
    void poolRunsEveryIndexOnceAndPropagatesFailures() {
        try (Parallel par = new Parallel(2)) {
            int[] hits = new int[1000];
            par.forEach(1000, i -> hits[i]++);
            for (int h : hits) assertEquals(1, h);
            int[] ranges = new int[1003];
            par.forRange(1003, 16, (s, e) -> {
                for (int i = s; i < e; i++) ranges[i]++;
            });
            for (int h : ranges) assertEquals(1, h);
            assertThrows(IllegalStateException.class, () -> par.forEach(10, i -> {
                if (i == 7) throw new IllegalStateException("boom");
            }));
            // The pool still works after a failure.
            int[] again = new int[10];
            par.forEach(10, i -> again[i] = 1);
            assertEquals(10, java.util.Arrays.stream(again).sum());
        }
    }
}
