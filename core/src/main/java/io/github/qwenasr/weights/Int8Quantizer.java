package io.github.qwenasr.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer, ties to even. */
    private static final float ROUND = 12582912f;

    /**
     * Quantizes n rows of k floats (row-major, natural order) from src into values (n * k bytes,
     * block layout) and scales (n * k / group floats). Vectorised: every lane computes exactly the
     * scalar formula of the class comment (IEEE division, round to nearest even), so the bytes do not
     * depend on the vector width.
     *
     * @throws IllegalArgumentException on a non-finite weight
     */
    public static void quantize(float[] src, int n, int k, int group, byte[] values, float[] scales) {
        if (!Int8Matrix.supports(k) || !Int8Matrix.validGroup(k, group)) {
            throw new IllegalArgumentException("cannot quantize rows of " + k + " in groups of " + group);
        }
        if (L > 16) throw new IllegalStateException("vectors wider than 512 bits");
        int groups = k / group;
        MemorySegment out = MemorySegment.ofArray(values);
        for (int r = 0; r < n; r++) {
            int row = r * k;
            for (int g = 0; g < groups; g++) {
                FloatVector max = FloatVector.zero(F);
                for (int i = row + g * group; i < row + (g + 1) * group; i += L) {
                    max = max.max(FloatVector.fromArray(F, src, i).abs());
                }
                float m = max.reduceLanes(VectorOperators.MAX);
                if (!(m <= Float.MAX_VALUE)) throw new IllegalArgumentException("non-finite weight in row " + r);
                scales[r * groups + g] = m / 127f;
            }
            for (int b = 0; b < k; b += Int8Matrix.BLOCK) {
                // Elements b .. b+31 and b+32 .. b+63 each lie in one group (groups are multiples of 32).
                float lo = scales[r * groups + b / group];
                float hi = scales[r * groups + (b + 32) / group];
                for (int off = 0; off < 16; off += L) {
                    // Lane l of part j is element b + 16 j + off + l; its byte goes to byte j of int lane off + l.
                    IntVector packed = quantizeRun(src, row + b + off, lo);
                    packed = packed.or(quantizeRun(src, row + b + 16 + off, lo).lanewise(VectorOperators.LSHL, 8));
                    packed = packed.or(quantizeRun(src, row + b + 32 + off, hi).lanewise(VectorOperators.LSHL, 16));
                    packed = packed.or(quantizeRun(src, row + b + 48 + off, hi).lanewise(VectorOperators.LSHL, 24));
                    packed.intoMemorySegment(out, row + b + 4L * off, ByteOrder.LITTLE_ENDIAN);
                }
            }
        }
    }

    /** rint(src[i..i+L) / scale) as the low bytes of int lanes (0 for a zero scale). */
    private static IntVector quantizeRun(float[] src, int i, float scale) {
        if (scale == 0f) return IntVector.zero(I);
        FloatVector t = FloatVector.fromArray(F, src, i).div(scale);
        return ((IntVector) t.add(ROUND).sub(ROUND).convert(VectorOperators.F2I, 0)).and(0xFF);
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
