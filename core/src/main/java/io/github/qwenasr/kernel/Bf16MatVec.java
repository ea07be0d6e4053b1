package io.github.qwenasr.kernel;

import io.github.qwenasr.kernel.KernelPaths.Path;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The bf16 mat-vec micro-kernels of the decode step (docs/kernels.md 2.1): one weight row at a time
 * times one, two or four activation vectors given in {@link MatVecInput}'s lane order.
 *
 * <p>Each int lane of a weight load holds an even element (low half: widened by a shift) and an odd
 * one (high half: widened by a mask), so a block of {@code 2 * lanes} elements costs one load, one
 * shift and one mask, and two FMAs per activation vector. Every output gets the same arithmetic
 * whatever tile computes it: one accumulator for the even elements and one for the odd ones, one
 * FMA each per block in block order; then their sum, its lanes added in lane order; then the
 * elements past the last whole block in element order. So a row's result does not depend on the
 * tile, on the other rows of a batch, or on how the work was split between threads: batched and
 * single decoding agree bit for bit.
 *
 * <p>Why these tiles (measured on a 2-core Zen 4 EPYC, JDK 25, 0.6B shapes). One vector is bound
 * by memory, and one weight stream per thread keeps it there: reading two weight rows side by side
 * halved the bandwidth (a pass over the 0.6B weights took 56-68 ms instead of 31-38 ms). Several
 * vectors are bound by the FMA and load units: four per weight row load 1 weight and 8 activation
 * vectors per 8 FMAs and widen each weight once, where the former kernel (two vectors per pass, four
 * accumulators each) loaded and widened every weight once per pair. A batch of 4 took 70-80 ms per
 * pass instead of 93; 8 took 130 ms instead of 147. Eight vectors per row (16 accumulators) ran
 * slower than two passes of four. The three tiles are written out one by one, each accumulator
 * its own local: C2 keeps vectors in registers only as separate locals (an array of accumulators
 * would live in memory). For the same reason the lane sums are written out in each tile, not in a
 * helper taking the accumulators: C2 stopped inlining such a helper in a large tile and then boxed
 * every vector.
 */
final class Bf16MatVec {
    private Bf16MatVec() {}

    private static final VectorSpecies<Float> F = MatMul.F;
    private static final VectorSpecies<Integer> I = MatMul.I;
    private static final int L = MatMul.L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Elements per block: one int load of the weights. */
    private static final int BLOCK = 2 * L;
    /** Bytes of weight rows per block of {@link #rowsBatch}: they stay in L1 while every group of activation vectors uses them. */
    private static final int BLOCK_BYTES = 16 * 1024;

    /** y[yOff + r] = W[r] . x for rows [start, end) of a bf16 matrix with rows of k elements. */
    static void rows(float[] x, MemorySegment w, int k, int start, int end, float[] y, int yOff) {
        float[] lanes = new float[L];
        for (int r = start; r < end; r++) row1x1(x, w, k, r, y, yOff, lanes);
    }

    /**
     * y[j][yOff + r] = W[r] . x[j] for rows [start, end) and vectors j in [0, b): each block of
     * weight rows is loaded from memory once and used, from L1, by every group of vectors.
     */
    static void rowsBatch(float[][] x, int b, MemorySegment w, int k, int start, int end, float[][] y, int yOff) {
        float[] lanes = new float[4 * L];
        int block = Math.max(1, BLOCK_BYTES / (2 * k));
        for (int r0 = start; r0 < end; r0 += block) {
            int r1 = Math.min(end, r0 + block);
            int j = 0;
            for (; j + 4 <= b; j += 4) {
                assert KernelPaths.ran(Path.MATVEC_BF16_TILE4);
                for (int r = r0; r < r1; r++) row1x4(x[j], x[j + 1], x[j + 2], x[j + 3], w, k, r, y[j], y[j + 1], y[j + 2], y[j + 3], yOff, lanes);
            }
            for (; j + 2 <= b; j += 2) {
                assert KernelPaths.ran(Path.MATVEC_BF16_TILE2);
                for (int r = r0; r < r1; r++) row1x2(x[j], x[j + 1], w, k, r, y[j], y[j + 1], yOff, lanes);
            }
            if (j < b) rows(x[j], w, k, r0, r1, y[j], yOff);
        }
    }

    /** The lanes at lanes[from, from + L) added in lane order. */
    private static float sum(float[] lanes, int from) {
        float s = lanes[from];
        for (int i = from + 1; i < from + L; i++) s += lanes[i];
        return s;
    }

    /** s plus the elements [from, k) of one row in element order. */
    private static float tail(float s, float[] x, MemorySegment w, long rowBase, int from, int k) {
        assert from == k || KernelPaths.ran(Path.MATVEC_BF16_TAIL);
        for (int i = from; i < k; i++) s += bf16(w, rowBase + 2L * i) * x[i];
        return s;
    }

    private static float bf16(MemorySegment w, long byteOff) {
        return Float.intBitsToFloat((w.get(ValueLayout.JAVA_SHORT_UNALIGNED, byteOff) & 0xFFFF) << 16);
    }

    /** One weight row times one vector. */
    private static void row1x1(float[] x0, MemorySegment w, int k, int r,
                               float[] y0, int yOff, float[] lanes) {
        long base = r * 2L * k;
        IntVector high = IntVector.broadcast(I, 0xFFFF0000);
        FloatVector z = FloatVector.zero(F);
        FloatVector e0 = z, o0 = z;
        int upper = k - k % BLOCK;
        int i = 0;
        for (; i < upper; i += BLOCK) {
            IntVector v = IntVector.fromMemorySegment(I, w, base + 2L * i, LE);
            FloatVector we = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector wo = v.and(high).reinterpretAsFloats();
            e0 = we.fma(FloatVector.fromArray(F, x0, i), e0);
            o0 = wo.fma(FloatVector.fromArray(F, x0, i + L), o0);
        }
        e0.add(o0).intoArray(lanes, 0);
        y0[yOff + r] = tail(sum(lanes, 0), x0, w, base, i, k);
    }

    /** One weight row times two vectors. */
    private static void row1x2(float[] x0, float[] x1, MemorySegment w, int k, int r,
                                float[] y0, float[] y1, int yOff, float[] lanes) {
        long base = r * 2L * k;
        IntVector high = IntVector.broadcast(I, 0xFFFF0000);
        FloatVector z = FloatVector.zero(F);
        FloatVector e0 = z, o0 = z, e1 = z, o1 = z;
        int upper = k - k % BLOCK;
        int i = 0;
        for (; i < upper; i += BLOCK) {
            IntVector v = IntVector.fromMemorySegment(I, w, base + 2L * i, LE);
            FloatVector we = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector wo = v.and(high).reinterpretAsFloats();
            e0 = we.fma(FloatVector.fromArray(F, x0, i), e0);
            o0 = wo.fma(FloatVector.fromArray(F, x0, i + L), o0);
            e1 = we.fma(FloatVector.fromArray(F, x1, i), e1);
            o1 = wo.fma(FloatVector.fromArray(F, x1, i + L), o1);
        }
        e0.add(o0).intoArray(lanes, 0);
        e1.add(o1).intoArray(lanes, L);
        y0[yOff + r] = tail(sum(lanes, 0), x0, w, base, i, k);
        y1[yOff + r] = tail(sum(lanes, L), x1, w, base, i, k);
    }

    /** One weight row times four vectors. */
    private static void row1x4(float[] x0, float[] x1, float[] x2, float[] x3, MemorySegment w, int k, int r,
                                float[] y0, float[] y1, float[] y2, float[] y3, int yOff, float[] lanes) {
        long base = r * 2L * k;
        IntVector high = IntVector.broadcast(I, 0xFFFF0000);
        FloatVector z = FloatVector.zero(F);
        FloatVector e0 = z, o0 = z, e1 = z, o1 = z, e2 = z, o2 = z, e3 = z, o3 = z;
        int upper = k - k % BLOCK;
        int i = 0;
        for (; i < upper; i += BLOCK) {
            IntVector v = IntVector.fromMemorySegment(I, w, base + 2L * i, LE);
            FloatVector we = v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector wo = v.and(high).reinterpretAsFloats();
            e0 = we.fma(FloatVector.fromArray(F, x0, i), e0);
            o0 = wo.fma(FloatVector.fromArray(F, x0, i + L), o0);
            e1 = we.fma(FloatVector.fromArray(F, x1, i), e1);
            o1 = wo.fma(FloatVector.fromArray(F, x1, i + L), o1);
            e2 = we.fma(FloatVector.fromArray(F, x2, i), e2);
            o2 = wo.fma(FloatVector.fromArray(F, x2, i + L), o2);
            e3 = we.fma(FloatVector.fromArray(F, x3, i), e3);
            o3 = wo.fma(FloatVector.fromArray(F, x3, i + L), o3);
        }
        e0.add(o0).intoArray(lanes, 0);
        e1.add(o1).intoArray(lanes, L);
        e2.add(o2).intoArray(lanes, 2 * L);
        e3.add(o3).intoArray(lanes, 3 * L);
        y0[yOff + r] = tail(sum(lanes, 0), x0, w, base, i, k);
        y1[yOff + r] = tail(sum(lanes, L), x1, w, base, i, k);
        y2[yOff + r] = tail(sum(lanes, 2 * L), x2, w, base, i, k);
        y3[yOff + r] = tail(sum(lanes, 3 * L), x3, w, base, i, k);
    }
}
