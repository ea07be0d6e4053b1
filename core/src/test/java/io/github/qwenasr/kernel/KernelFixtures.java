package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/** Seeded random weights and vectors for the kernel tests. */
final class KernelFixtures {
    private KernelFixtures() {}

    /** An n x k tensor of Gaussian values stored as dtype (BF16, F16 or F32), laid out like a checkpoint's. */
    static Tensor randomTensor(DType dtype, int n, int k, long seed) {
        Random r = new Random(seed);
        MemorySegment seg = Arena.ofAuto().allocate((long) n * k * dtype.size, 64);
        for (long i = 0; i < (long) n * k; i++) {
            float v = (float) r.nextGaussian();
            switch (dtype) {
                case BF16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2,
                        (short) (Float.floatToIntBits(v) >>> 16));
                case F16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 2,
                        Float.floatToFloat16(v));
                case F32 -> seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i * 4, v);
            }
        }
        return new Tensor("w", dtype, new long[] {n, k}, seg, "test");
    }

    /** n Gaussian floats. */
    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
