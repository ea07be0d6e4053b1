package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which products MatMul.linear hands to a pool's GemmBackend, and that the results are the backend's. */
class GemmBackendHookTest {
    private final RecordingGemmBackend backend = new RecordingGemmBackend();

    @AfterEach
    void reset() {
        RecordingGemmBackend.reset();
    }

    /** y of MatMul.linear on a pool with the recording backend. */
    private float[] run(Tensor w, int m, float[] bias) {
        float[] x = KernelFixtures.random(m * w.cols(), 5);
        float[] y = new float[m * w.rows()];
        try (Parallel par = new Parallel(2, backend)) {
            MatMul.linear(par, x, m, w, bias, y);
        }
        return y;
    }

    @Test
    void manyRowBf16ProductsGoToTheBackend() {
        Tensor w = KernelFixtures.randomTensor(DType.BF16, 48, 96, 48 * 31L + 96);
        float[] bias = KernelFixtures.random(48, 3);
        float[] got = run(w, 7, bias);
        if (VectorWidth.SCALAR) {
            // The scalar setting routes every product through the scalar reference, never a native library.
            assertEquals(List.of(), RecordingGemmBackend.CALLS);
            float[] expect = new float[7 * 48];
            MatMul.linearReference(KernelFixtures.random(7 * 96, 5), 7, w, bias, expect);
            assertArrayEquals(expect, got);
            return;
        }
        assertEquals(List.of("7x96x48"), RecordingGemmBackend.CALLS);
        float[] expect = new float[7 * 48];
        try (Parallel one = new Parallel(1)) {
            backend.linear(one, KernelFixtures.random(7 * 96, 5), 7, 96, w.data(), 48, bias, expect);
        }
        assertArrayEquals(expect, got, "the backend's result, unchanged");
    }

    @Test
    void matVecsThinInputsAndF32WeightsStayInJava() {
        run(KernelFixtures.randomTensor(DType.BF16, 48, 96, 48 * 31L + 96), 1, null);     // decode mat-vec: memory-bound
        run(KernelFixtures.randomTensor(DType.BF16, 32, 9, 32 * 31L + 9), 50, null);      // the first conv's 9 taps
        run(KernelFixtures.randomTensor(DType.F32, 48, 96, 48 * 31L + 96), 7, null);       // not bf16 in the file
        assertEquals(List.of(), RecordingGemmBackend.CALLS);
        Parallel plain = new Parallel(1);
        assertFalse(MatMul.offloads(plain, KernelFixtures.randomTensor(DType.BF16, 48, 96, 48 * 31L + 96), 7), "a pool without a backend");
        plain.close();
    }
}
