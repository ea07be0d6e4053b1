package io.github.qwenasr.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Widening of 16-bit tensors (docs/model.md 1.2, 8.5), over more elements than one bulk chunk. */
class TensorTest {
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A 1-D tensor of n 16-bit elements whose bit patterns are i * 7 + 3 (every pattern class appears). */
    private static Tensor sixteenBit(DType dtype, int n, Arena arena) {
        MemorySegment seg = arena.allocate(2L * n);
        for (int i = 0; i < n; i++) seg.set(SHORT_LE, 2L * i, (short) (i * 7 + 3));
        return new Tensor("t", dtype, new long[] {n}, seg, "test");
    }

    @Test
    void bf16WideningIsTheTopHalfOfAFloat() {
        try (Arena arena = Arena.ofConfined()) {
            int n = 10_000;
            Tensor t = sixteenBit(DType.BF16, n, arena);
            float[] out = new float[n + 5];
            t.copyTo(17, out, 5, n - 17);
            for (int i = 0; i < n - 17; i++) {
                int bits = ((i + 17) * 7 + 3) & 0xFFFF;
                assertEquals(Float.floatToRawIntBits(Float.intBitsToFloat(bits << 16)), Float.floatToRawIntBits(out[5 + i]), "element " + i);
            }
        }
    }

    @Test
    void f16WideningFollowsIeeeHalf() {
        try (Arena arena = Arena.ofConfined()) {
            int n = 9_000;
            Tensor t = sixteenBit(DType.F16, n, arena);
            float[] out = t.toFloatArray();
            for (int i = 0; i < n; i++) {
                float expected = Float.float16ToFloat((short) (i * 7 + 3));
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]), "element " + i);
            }
            assertEquals(Float.float16ToFloat((short) (5 * 7 + 3)), t.get(5));
        }
    }
}
