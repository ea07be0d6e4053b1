package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Int8Matrix;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Mat-vecs over {@link Int8Matrix} weights and float32 activations: {@code y[r] = sum_e W[r][e] x[e]}.
 *
 * <p>Widening without a conversion instruction. A byte q is turned into the float
 * {@code f = 1 + (q + 128) / 256} by placing its bits, top bit flipped, in the top 8 bits of the
 * mantissa of 1.0: one shift and one and/xor per vector of int lanes (C2 folds the two logic ops
 * into one), no byte-to-int or int-to-float conversion. Since {@code q = 256 f - 384},
 * <pre>
 *   sum over a group of q x  =  256 * sum(f x)  -  384 * sum(x)
 * </pre>
 * and sum(x) over every 32-element run is computed once per input ({@link MatVecInput}). Each group's
 * partial sum is multiplied by its scale once. The float rounding of the two sums is about 10x that
 * of a direct product, still four orders of magnitude below the quantization error.
 *
 * <p>Lanes are summed in a fixed order (a tree of rearranges), so a result does not depend on how
 * the JIT compiled the reduction. The batched form computes, for each of B inputs, exactly the
 * single-input arithmetic, so a sequence gets the same logits alone or in a batch.
 *
 * <p>The vector width is {@link VectorWidth#FLOAT}; {@link #rowsScalar} is the scalar kernel that
 * the vector ones are tested beside.
 */
final class Int8MatVec {
    private Int8MatVec() {}

    static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final int L = F.length();
    /** Int loads per 64-element block: 1 at 512 bits, 2 at 256, 4 at 128. */
    private static final int LOADS = Int8Matrix.BLOCK / (4 * L);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** The top 8 mantissa bits of a float, where each byte is placed. */
    private static final int MANTISSA = 0x007F8000;
    /** The exponent of [1, 2), xor the mantissa's top bit (which flips the byte's sign bit: q + 128). */
    private static final int ONE_FLIPPED = 0x3FC00000;

    private static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(F, i -> i ^ Math.max(1, Math.min(8, L / 2)));
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(F, i -> i ^ Math.max(1, Math.min(4, L / 2)));
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(F, i -> i ^ Math.max(1, Math.min(2, L / 2)));
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(F, i -> i ^ 1);

    /** Sum of the lanes as a fixed tree: lane i + lane i ^ L/2, then i ^ L/4, ... */
    static float laneSum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(SWAP8));
        if (L >= 8) v = v.add(v.rearrange(SWAP4));
        if (L >= 4) v = v.add(v.rearrange(SWAP2));
        v = v.add(v.rearrange(SWAP1));
        return v.lane(0);
    }

    /** The floats 1 + (q + 128) / 256 of byte j of every int lane of v. */
    private static FloatVector widen(IntVector v, int j, IntVector mantissa, IntVector oneFlipped) {
        IntVector placed = switch (j) {
            case 0 -> v.lanewise(VectorOperators.LSHL, 15);
            case 1 -> v.lanewise(VectorOperators.LSHL, 7);
            case 2 -> v.lanewise(VectorOperators.LSHR, 1);
            default -> v.lanewise(VectorOperators.LSHR, 9);
        };
        return placed.and(mantissa).lanewise(VectorOperators.XOR, oneFlipped).reinterpretAsFloats();
    }

    private static void checkInput(Int8Matrix w, MatVecInput x) {
        if (x.length() != w.cols()) {
            throw new IllegalArgumentException("mat-vec input has " + x.length() + " elements, " + w.name() + " needs " + w.cols());
        }
    }

    /** y[yOff + r] = W[r] . x for rows r in [start, end). */
    static void rows(Int8Matrix w, MatVecInput x, int start, int end, float[] y, int yOff) {
        checkInput(w, x);
        if (w.groupSize() % Int8Matrix.BLOCK == 0) {
            rowsWide(w, x.natural(), x.offset(), x.sums32(), x.total(), start, end, y, yOff);
        } else {
            rows32(w, x.natural(), x.offset(), x.sums32(), start, end, y, yOff);
        }
    }

    /**
     * Groups of whole 64-element blocks (including one group per row). One flat loop over the
     * blocks: one partial sum per {@link #FOLD} elements (a fresh chain each time, so successive
     * ones overlap), added into the group's sum, which is scaled into the accumulator at the group's
     * last block. One partial per input keeps the batched tile of four inputs in registers. A nested
     * loop per group ran at half the speed for groups of 64 (short inner loops, not unrolled).
     */
    private static void rowsWide(Int8Matrix w, float[] x, int xo, float[] sums32, float total, int start, int end,
                                 float[] y, int yOff) {
        MemorySegment q = w.values();
        MemorySegment sc = w.scales();
        int k = w.cols();
        int group = w.groupSize();
        int groups = k / group;
        int runs = group / 32;
        IntVector mantissa = IntVector.broadcast(I, MANTISSA);
        IntVector oneFlipped = IntVector.broadcast(I, ONE_FLIPPED);
        int fold = group % FOLD == 0 ? FOLD : Int8Matrix.BLOCK;
        for (int r = start; r < end; r++) {
            long row = (long) r * k;
            long scaleAt = 4L * r * groups;
            FloatVector acc = FloatVector.zero(F);
            FloatVector gsum = acc;
            FloatVector p = acc;
            float corr = 0f;
            int foldEnd = fold;
            int groupEnd = group;
            int run = 0;
            for (int b = 0; b < k; b += Int8Matrix.BLOCK) {
                for (int m = 0; m < LOADS; m++) {
                    IntVector v = IntVector.fromMemorySegment(I, q, row + b + 4L * L * m, LE);
                    int xi = xo + b + L * m;
                    p = widen(v, 0, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi), p);
                    p = widen(v, 1, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi + 16), p);
                    p = widen(v, 2, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi + 32), p);
                    p = widen(v, 3, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi + 48), p);
                }
                if (b + Int8Matrix.BLOCK == foldEnd) {
                    gsum = gsum.add(p);
                    p = FloatVector.zero(F);
                    foldEnd += fold;
                    if (b + Int8Matrix.BLOCK == groupEnd) {
                        float s = sc.get(Int8Matrix.SCALE_LAYOUT, scaleAt);
                        acc = gsum.fma(FloatVector.broadcast(F, s), acc);
                        corr += s * (groups == 1 ? total : runSum(sums32, run, runs));
                        gsum = p;
                        scaleAt += 4;
                        run += runs;
                        groupEnd += group;
                    }
                }
            }
            y[yOff + r] = 256f * laneSum(acc) - 384f * corr;
        }
    }

    /**
     * Elements after which the partial sums are folded into the group's sum (64 where 128 does not
     * divide the group): short dependency chains streamed faster from memory (one scale per row:
     * 36 -> 30 ms of thread CPU time for the decoder weights of a 0.6B step, one thread).
     */
    private static final int FOLD = 128;

    private static float runSum(float[] sums32, int from, int count) {
        float s = sums32[from];
        for (int c = from + 1; c < from + count; c++) s += sums32[c];
        return s;
    }

    /** Groups of 32: each block holds two, vectors j = 0, 1 the first and j = 2, 3 the second. */
    private static void rows32(Int8Matrix w, float[] x, int xo, float[] sums32, int start, int end, float[] y, int yOff) {
        MemorySegment q = w.values();
        MemorySegment sc = w.scales();
        int k = w.cols();
        int groups = k / 32;
        IntVector mantissa = IntVector.broadcast(I, MANTISSA);
        IntVector oneFlipped = IntVector.broadcast(I, ONE_FLIPPED);
        for (int r = start; r < end; r++) {
            long row = (long) r * k;
            long scaleRow = 4L * r * groups;
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = acc0;
            float corr = 0f;
            for (int b = 0, g = 0; b < k; b += Int8Matrix.BLOCK, g += 2) {
                FloatVector lo = FloatVector.zero(F);
                FloatVector hi = lo;
                for (int m = 0; m < LOADS; m++) {
                    IntVector v = IntVector.fromMemorySegment(I, q, row + b + 4L * L * m, LE);
                    int xi = xo + b + L * m;
                    lo = widen(v, 0, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi), lo);
                    hi = widen(v, 2, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi + 32), hi);
                    lo = widen(v, 1, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi + 16), lo);
                    hi = widen(v, 3, mantissa, oneFlipped).fma(FloatVector.fromArray(F, x, xi + 48), hi);
                }
                float s0 = sc.get(Int8Matrix.SCALE_LAYOUT, scaleRow + 4L * g);
                float s1 = sc.get(Int8Matrix.SCALE_LAYOUT, scaleRow + 4L * g + 4);
                acc0 = lo.fma(FloatVector.broadcast(F, s0), acc0);
                acc1 = hi.fma(FloatVector.broadcast(F, s1), acc1);
                corr += s0 * sums32[g] + s1 * sums32[g + 1];
            }
            y[yOff + r] = 256f * laneSum(acc0.add(acc1)) - 384f * corr;
        }
    }

    /**
     * The batched form: for each input i in [0, count), y[i * yStride + yOff + r] = W[r] . x_i for
     * rows r in [start, end). Each weight row is read from memory once: it passes every tile of four
     * inputs (and then the rest one by one) while it is in the L1 cache.
     */
    static void rowsBatch(Int8Matrix w, MatVecInput[] x, int count, int start, int end, float[] y, int yOff, int yStride) {
        for (int i = 0; i < count; i++) checkInput(w, x[i]);
        if (w.groupSize() % Int8Matrix.BLOCK != 0) {
            // Groups of 32 have no batched kernel: one input after another.
            for (int i = 0; i < count; i++) rows(w, x[i], start, end, y, yOff + i * yStride);
            return;
        }
        int tiles = count / 4 * 4;
        for (int r = start; r < end; r++) {
            for (int i = 0; i < tiles; i += 4) {
                rowTile4(w, r, x[i], x[i + 1], x[i + 2], x[i + 3], y, yOff + i * yStride + r, yStride);
            }
            for (int i = tiles; i < count; i++) {
                MatVecInput in = x[i];
                rowsWide(w, in.natural(), in.offset(), in.sums32(), in.total(), r, r + 1, y, yOff + i * yStride);
            }
        }
    }

    /** One row against four inputs, each with the arithmetic of {@link #rowsWide}; out[o + i * stride]. */
    private static void rowTile4(Int8Matrix w, int r, MatVecInput in0, MatVecInput in1, MatVecInput in2, MatVecInput in3,
                                 float[] out, int o, int stride) {
        MemorySegment q = w.values();
        MemorySegment sc = w.scales();
        int k = w.cols();
        int group = w.groupSize();
        int groups = k / group;
        int runs = group / 32;
        float[] x0 = in0.natural(), x1 = in1.natural(), x2 = in2.natural(), x3 = in3.natural();
        int o0 = in0.offset(), o1 = in1.offset(), o2 = in2.offset(), o3 = in3.offset();
        IntVector mantissa = IntVector.broadcast(I, MANTISSA);
        IntVector oneFlipped = IntVector.broadcast(I, ONE_FLIPPED);
        long row = (long) r * k;
        long scaleAt = 4L * r * groups;
        FloatVector z = FloatVector.zero(F);
        FloatVector acc0 = z, acc1 = z, acc2 = z, acc3 = z;
        FloatVector g0 = z, g1 = z, g2 = z, g3 = z;   // the group's folded partial sums, per input
        FloatVector p0 = z, p1 = z, p2 = z, p3 = z;   // the partial sum since the last fold, per input
        float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
        int fold = group % FOLD == 0 ? FOLD : Int8Matrix.BLOCK;
        int foldEnd = fold;
        int groupEnd = group;
        int run = 0;
        for (int b = 0; b < k; b += Int8Matrix.BLOCK) {
            for (int m = 0; m < LOADS; m++) {
                IntVector v = IntVector.fromMemorySegment(I, q, row + b + 4L * L * m, LE);
                int e = b + L * m;
                for (int j = 0; j < 4; j++) {
                    FloatVector wj = widen(v, j, mantissa, oneFlipped);
                    int ej = e + 16 * j;
                    p0 = wj.fma(FloatVector.fromArray(F, x0, o0 + ej), p0);
                    p1 = wj.fma(FloatVector.fromArray(F, x1, o1 + ej), p1);
                    p2 = wj.fma(FloatVector.fromArray(F, x2, o2 + ej), p2);
                    p3 = wj.fma(FloatVector.fromArray(F, x3, o3 + ej), p3);
                }
            }
            if (b + Int8Matrix.BLOCK == foldEnd) {
                g0 = g0.add(p0);
                g1 = g1.add(p1);
                g2 = g2.add(p2);
                g3 = g3.add(p3);
                p0 = z; p1 = z; p2 = z; p3 = z;
                foldEnd += fold;
                if (b + Int8Matrix.BLOCK == groupEnd) {
                    float s = sc.get(Int8Matrix.SCALE_LAYOUT, scaleAt);
                    FloatVector sv = FloatVector.broadcast(F, s);
                    acc0 = g0.fma(sv, acc0);
                    acc1 = g1.fma(sv, acc1);
                    acc2 = g2.fma(sv, acc2);
                    acc3 = g3.fma(sv, acc3);
                    c0 += s * (groups == 1 ? in0.total() : runSum(in0.sums32(), run, runs));
                    c1 += s * (groups == 1 ? in1.total() : runSum(in1.sums32(), run, runs));
                    c2 += s * (groups == 1 ? in2.total() : runSum(in2.sums32(), run, runs));
                    c3 += s * (groups == 1 ? in3.total() : runSum(in3.sums32(), run, runs));
                    g0 = z; g1 = z; g2 = z; g3 = z;
                    scaleAt += 4;
                    run += runs;
                    groupEnd += group;
                }
            }
        }
        out[o] = 256f * laneSum(acc0) - 384f * c0;
        out[o + stride] = 256f * laneSum(acc1) - 384f * c1;
        out[o + 2 * stride] = 256f * laneSum(acc2) - 384f * c2;
        out[o + 3 * stride] = 256f * laneSum(acc3) - 384f * c3;
    }

    /**
     * The scalar kernel: y[yOff + r] = sum over groups of scale * (sum of q x), in float, elements
     * in natural order. The reference the vector kernels are tested beside, and the path of any
     * width the Vector API would not run well.
     */
    static void rowsScalar(Int8Matrix w, float[] x, int xOff, int start, int end, float[] y, int yOff) {
        int k = w.cols();
        int group = w.groupSize();
        for (int r = start; r < end; r++) {
            float sum = 0f;
            for (int g = 0; g < k / group; g++) {
                float p = 0f;
                for (int e = g * group; e < (g + 1) * group; e++) p += w.value(r, e) * x[xOff + e];
                sum += w.scale(r, g) * p;
            }
            y[yOff + r] = sum;
        }
    }

    /**
     * Dequantizes rows [row0, row0 + rows) x columns [k0, k0 + kc) of w into dst, row-major
     * [rows][kc] in natural order, each value rounded once: (float) q * scale. k0 and kc are
     * multiples of 64 (the GEMM's k-blocks).
     */
    static void dequantize(Int8Matrix w, int row0, int rows, int k0, int kc, float[] dst) {
        MemorySegment q = w.values();
        int k = w.cols();
        int group = w.groupSize();
        int groups = k / group;
        IntVector mantissa = IntVector.broadcast(I, MANTISSA);
        IntVector oneFlipped = IntVector.broadcast(I, ONE_FLIPPED);
        for (int r = 0; r < rows; r++) {
            int rr = row0 + r;
            long row = (long) rr * k;
            int out = r * kc - k0;
            for (int b = k0; b < k0 + kc; b += Int8Matrix.BLOCK) {
                for (int m = 0; m < LOADS; m++) {
                    IntVector v = IntVector.fromMemorySegment(I, q, row + b + 4L * L * m, LE);
                    for (int j = 0; j < 4; j++) {
                        int e = b + 16 * j + L * m;
                        // 256 f - 384 is the integer q exactly; one rounding in the product.
                        FloatVector s = FloatVector.broadcast(F, w.scale(rr, e / group % groups));
                        widen(v, j, mantissa, oneFlipped).mul(256f).sub(384f).mul(s).intoArray(dst, out + e);
                    }
                }
            }
        }
    }
}
