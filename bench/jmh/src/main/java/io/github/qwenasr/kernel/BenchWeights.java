package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Int8Quantizer;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Random bf16 weight matrices off the heap, laid out like a checkpoint tensor ([out][in], little-endian). */
final class BenchWeights {
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BenchWeights() {}

    /** An n x k bf16 tensor with values in about [-0.05, 0.05), 64-byte aligned like a mapped page. */
    static Tensor bf16(Arena arena, int n, int k, long seed) {
        MemorySegment seg = arena.allocate((long) n * k * 2, 64);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long i = 0, count = (long) n * k; i < count; i++) {
            float v = (float) (rnd.nextDouble() - 0.5) * 0.1f;
            seg.setAtIndex(SHORT_LE, i, (short) (Float.floatToRawIntBits(v) >>> 16));
        }
        return new Tensor("bench." + n + "x" + k, DType.BF16, new long[] {n, k}, seg, "bench");
    }

    /** The weight in a benchmark format: bf16 as given, int8 (one scale per row) or int8-gN (groups of N). */
    static LinearWeights weights(String format, Tensor bf16, Arena arena) {
        if (format.equals("bf16")) return new TensorWeights(bf16);
        if (format.equals("int8")) return new Int8Weights(Int8Quantizer.quantize(bf16, 0, arena));
        if (format.startsWith("int8-g")) return new Int8Weights(Int8Quantizer.quantize(bf16, Integer.parseInt(format.substring(6)), arena));
        throw new IllegalArgumentException("unknown weight format " + format);
    }

    /** Bytes a mat-vec streams for this weight. */
    static long bytes(LinearWeights w) {
        if (w instanceof Int8Weights q) return q.matrix().byteSize();
        return 2L * w.rows() * w.cols();
    }

    static float[] floats(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }

    /** "AxB" -> {A, B}; "AxBxC" -> {A, B, C}. */
    static int[] dims(String shape) {
        String[] p = shape.split("x");
        int[] d = new int[p.length];
        for (int i = 0; i < p.length; i++) d[i] = Integer.parseInt(p[i]);
        return d;
    }
}
