package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which products MatMul.linear hands to a pool's GemmBackend, and that the results are the backend's. */
class GemmBackendHookTest {
    private final RecordingGemmBackend backend = new RecordingGemmBackend();

    @AfterEach
    void reset() {
        RecordingGemmBackend.reset();
    }

    private static Tensor tensor(DType dtype, int n, int k) {
        Random r = new Random(n * 31L + k);
        MemorySegment seg = Arena.ofAuto().allocate((long) n * k * dtype.size, 64);
        for (long i = 0; i < (long) n * k; i++) {
            float v = (float) r.nextGaussian();
            if (dtype == DType.BF16) {
                seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2, (short) (Float.floatToIntBits(v) >>> 16));
            } else {
                seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 4, v);
            }
        }
        return new Tensor("w", dtype, new long[] {n, k}, seg, "test");
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** y of MatMul.linear on a pool with the recording backend. */
    private float[] run(Tensor w, int m, float[] bias) {
        float[] x = random(m * w.cols(), 5);
        float[] y = new float[m * w.rows()];
        try (Parallel par = new Parallel(2, backend)) {
            MatMul.linear(par, x, m, w, bias, y);
        }
        return y;
    }

    @Test
    void manyRowBf16ProductsGoToTheBackend() {
        Tensor w = tensor(DType.BF16, 48, 96);
        float[] bias = random(48, 3);
        float[] got = run(w, 7, bias);
        assertEquals(List.of("7x96x48"), RecordingGemmBackend.CALLS);
        float[] expect = new float[7 * 48];
        try (Parallel one = new Parallel(1)) {
            backend.linear(one, random(7 * 96, 5), 7, 96, w.data(), 48, bias, expect);
        }
        assertArrayEquals(expect, got, "the backend's result, unchanged");
    }

    @Test
    void matVecsThinInputsAndF32WeightsStayInJava() {
        run(tensor(DType.BF16, 48, 96), 1, null);     // decode mat-vec: memory-bound
        run(tensor(DType.BF16, 32, 9), 50, null);      // the first conv's 9 taps
        run(tensor(DType.F32, 48, 96), 7, null);       // not bf16 in the file
        assertEquals(List.of(), RecordingGemmBackend.CALLS);
        Parallel plain = new Parallel(1);
        assertFalse(MatMul.offloads(plain, tensor(DType.BF16, 48, 96), 7), "a pool without a backend");
        plain.close();
    }
}
