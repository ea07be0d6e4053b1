package io.github.qwenasr.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Symmetric absmax int8 quantization with one scale per group of a row (weight-only: activations
 * stay float32). For each group of the row:
 * <pre>
 *   scale = max|w| / 127            (float32; 0 when the whole group is 0)
 *   q     = rint(w / scale)         (round to nearest, ties to even; float32 division)
 * </pre>
 * q lies in [-127, 127] by construction (|w| / scale is at most 127 (1 + 2^-23)): -128 never occurs,
 * the range is symmetric.
 * so that {@code q * scale} differs from w by at most scale / 2 (plus the float rounding of the
 * division). Values are written in {@link Int8Matrix}'s block layout.
 */
public final class Int8Quantizer {
    private Int8Quantizer() {}

    /** Rows quantized per batch when reading a tensor: bounds the float copy to a few MB. */
    private static final int BATCH_ROWS = 256;

    /**
     * The group size used for rows of {@code cols}: {@code requested} when it fits the row
     * (see {@link Int8Matrix#validGroup}), otherwise one scale per row. 0 asks for one per row.
     */
    public static int groupFor(int cols, int requested) {
        return requested > 0 && Int8Matrix.validGroup(cols, requested) ? requested : cols;
    }

    /**
     * Quantizes n rows of k floats (row-major, natural order) from src into values (n * k bytes,
     * block layout) and scales (n * k / group floats). Scalar on purpose: it runs once, on a cold
     * JVM, where Vector API code runs its slow fallback until C2 compiles it (measured on the 0.6B
     * decoder weights, one thread, busy machine: vectorised 3.1-4.7 s cold, 1.2-1.5 s warm; scalar
     * 2.1-2.5 s cold; the same bytes).
     *
     * @throws IllegalArgumentException on a non-finite weight
     */
    public static void quantize(float[] src, int n, int k, int group, byte[] values, float[] scales) {
        if (!Int8Matrix.supports(k) || !Int8Matrix.validGroup(k, group)) {
            throw new IllegalArgumentException("cannot quantize rows of " + k + " in groups of " + group);
        }
        int groups = k / group;
        for (int r = 0; r < n; r++) {
            int row = r * k;
            for (int g = 0; g < groups; g++) {
                int from = row + g * group;
                float max = 0f;
                for (int i = from; i < from + group; i++) max = Math.max(max, Math.abs(src[i]));
                if (!(max <= Float.MAX_VALUE)) throw new IllegalArgumentException("non-finite weight in row " + r);
                float scale = max / 127f;
                scales[r * groups + g] = scale;
                for (int i = from; i < from + group; i++) {
                    int q = scale == 0f ? 0 : (int) Math.rint(src[i] / scale);
                    values[row + Int8Matrix.storedIndex(i - row)] = (byte) q;
                }
            }
        }
    }

    /** Quantizes a whole 2-D tensor into memory of the given arena (tests, and loads with no cache file). */
    public static Int8Matrix quantize(Tensor w, int group, Arena arena) {
        int n = w.rows();
        int k = w.cols();
        int g = groupFor(k, group);
        MemorySegment values = arena.allocate((long) n * k, 64);
        MemorySegment scales = arena.allocate(4L * n * (k / g), 64);
        int batch = Math.min(n, BATCH_ROWS);
        float[] src = new float[batch * k];
        byte[] q = new byte[batch * k];
        float[] s = new float[batch * (k / g)];
        for (int r0 = 0; r0 < n; r0 += batch) {
            int rows = Math.min(batch, n - r0);
            w.copyTo((long) r0 * k, src, 0, rows * k);
            try {
                quantize(src, rows, k, g, q, s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(w.name() + ": " + e.getMessage() + " of rows from " + r0);
            }
            MemorySegment.copy(q, 0, values, ValueLayout.JAVA_BYTE, (long) r0 * k, rows * k);
            MemorySegment.copy(s, 0, scales, Int8Matrix.SCALE_LAYOUT, 4L * r0 * (k / g), rows * (k / g));
        }
        return new Int8Matrix(w.name(), n, k, g, values, scales);
    }
}
