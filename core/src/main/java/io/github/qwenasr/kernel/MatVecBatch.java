package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The decode mat-vec for several activation vectors at once (docs/kernels.md 2.1): the rows of a
 * batch of sequences decoding together share every pass over the bf16 weights, which is what a
 * decode step is bound by.
 *
 * <p>Every activation row gets exactly the arithmetic of {@link MatMul#matVecRows} alone: the same
 * idiom-C lanes, the same four accumulators along the weight row (two blocks of even and odd
 * elements), the same sum of the accumulators, the same lane order of the final sum and the same
 * scalar tail. So each row's result is bit-identical to the single-row kernel's, whatever else is
 * in the batch. What is shared is the load: a block of weight rows small enough for L1 is loaded
 * once from memory and used for every activation row, two rows at a time (eight accumulators fit
 * 16 vector registers); a last odd row runs the single-row kernel itself on the same block. Four
 * rows per pass (16 accumulators) made a method too large for C2: it stopped inlining the Vector
 * API's loads, which then ran boxed, 10-20 times slower; two weight rows by two activation rows
 * compiled, but ran slower than two activation rows alone in whole decode steps (Zen 4 EPYC).
 */
public final class MatVecBatch {
    private MatVecBatch() {}

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Bytes of bf16 weight rows per block: they stay in L1 while every activation row uses them. */
    private static final int BLOCK_BYTES = 16 * 1024;
    /** Activation rows one call takes (the decode scheduler's batch bound is at most this). */
    public static final int MAX_ROWS = 64;

    /**
     * y[j][yOff + r] = W[r] . x[j] for rows r in [start, end) and activation rows j in [0, b), no
     * bias: {@link MatMul#matVecRows} for each j, with each weight row read once for all of them.
     */
    public static void matVecRows(Tensor w, MatVecInput[] x, int b, int start, int end, float[][] y, int yOff) {
        int k = w.cols();
        if (b < 1 || b > MAX_ROWS || b > x.length || b > y.length) {
            throw new IllegalArgumentException("batched mat-vec of " + b + " rows (inputs " + x.length + ", outputs " + y.length + ")");
        }
        for (int j = 0; j < b; j++) {
            if (x[j].length() != k) {
                throw new IllegalArgumentException("mat-vec input " + j + " has " + x[j].length() + " elements, " + w.name() + " needs " + k);
            }
        }
        if (w.dtype() != DType.BF16) {
            // The single-row kernel's scalar path, with each weight row copied once for all rows.
            float[] row = new float[k];
            for (int r = start; r < end; r++) {
                w.copyTo((long) r * k, row, 0, k);
                for (int j = 0; j < b; j++) y[j][yOff + r] = MatMul.dot(x[j].natural(), x[j].offset(), row, 0, k);
            }
            return;
        }
        MemorySegment seg = w.data();
        int block = Math.max(1, BLOCK_BYTES / (2 * k));
        float[] lanes = new float[MatMul.L];
        for (int r0 = start; r0 < end; r0 += block) {
            int r1 = Math.min(end, r0 + block);
            int j = 0;
            for (; j + 2 <= b; j += 2) {
                rows2(x[j].ordered(), x[j + 1].ordered(), seg, k, r0, r1, y[j], y[j + 1], yOff, lanes);
            }
            if (j < b) MatMul.matvecBf16(x[j].ordered(), seg, k, r0, r1, y[j], yOff);
        }
    }

    /**
     * {@link #matVecRows(Tensor, MatVecInput[], int, int, int, float[][], int)} for a layer's weights
     * (the inputs prepared for them): bf16 tensors through the shared kernel above, int8 weights
     * (issue 18) through {@link Int8MatVec#rowsBatch}, which passes each weight row, while it is in
     * L1, to tiles of four inputs with the one-row int8 kernel's arithmetic: either way each weight
     * byte comes from memory once per step and every row's result is its one-row result.
     */
    public static void matVecRows(LinearWeights w, MatVecInput[] x, int b, int start, int end, float[][] y, int yOff) {
        if (w instanceof TensorWeights t) {
            matVecRows(t.tensor(), x, b, start, end, y, yOff);
            return;
        }
        if (b < 1 || b > MAX_ROWS || b > x.length || b > y.length) {
            throw new IllegalArgumentException("batched mat-vec of " + b + " rows (inputs " + x.length + ", outputs " + y.length + ")");
        }
        Int8Matrix m = ((Int8Weights) w).matrix();
        int rows = end - start;
        float[] out = new float[b * rows];
        Int8MatVec.rowsBatch(m, x, b, start, end, out, -start, rows);
        for (int j = 0; j < b; j++) System.arraycopy(out, j * rows, y[j], yOff + start, rows);
    }

    /**
     * The whole matrix for b activation rows (the output head of a batch), in chunks the workers
     * share as {@link MatMul#linear} does for one row.
     */
    public static void matVec(Parallel par, Tensor w, MatVecInput[] x, int b, float[][] y) {
        int n = w.rows();
        for (int j = 0; j < b; j++) {
            if (y[j].length < n) throw new IllegalArgumentException("batched mat-vec: output " + j + " too small for " + w.name());
        }
        int rows = Math.max(MatMul.chunkRows(w.cols()), n / (par.threads() * 256) & ~3);
        par.forChunks((n + rows - 1) / rows, c -> {
            int s = c * rows;
            matVecRows(w, x, b, s, Math.min(n, s + rows), y, 0);
        });
    }

    /** The lanes of one row's accumulator sum added in the single-row kernel's order. */
    private static float sum(float[] lanes) {
        float s = lanes[0];
        for (int j = 1; j < lanes.length; j++) s += lanes[j];
        return s;
    }

    private static float bf16(MemorySegment w, long byteOff) {
        return Float.intBitsToFloat((w.get(ValueLayout.JAVA_SHORT_UNALIGNED, byteOff) & 0xFFFF) << 16);
    }

    /** Weight rows [r0, r1) times two activation rows (in the kernel's lane order). */
    private static void rows2(float[] x0, float[] x1, MemorySegment w, int k, int r0, int r1,
                              float[] y0, float[] y1, int yOff, float[] lanes) {
        var F = MatMul.F;
        var I = MatMul.I;
        int L = MatMul.L;
        int block = 2 * L;
        int upper2 = k - k % (2 * block);
        int upper1 = k - k % block;
        long rowBytes = 2L * k;
        IntVector high = IntVector.broadcast(I, 0xFFFF0000);
        for (int r = r0; r < r1; r++) {
            long base = r * rowBytes;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            int i = 0;
            for (; i < upper2; i += 2 * block) {
                long off = base + 2L * i;
                IntVector v0 = IntVector.fromMemorySegment(I, w, off, LE);
                IntVector v1 = IntVector.fromMemorySegment(I, w, off + 2L * block, LE);
                FloatVector w0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector w1 = v0.and(high).reinterpretAsFloats();
                FloatVector w2 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector w3 = v1.and(high).reinterpretAsFloats();
                a0 = w0.fma(FloatVector.fromArray(F, x0, i), a0);
                a1 = w1.fma(FloatVector.fromArray(F, x0, i + L), a1);
                a2 = w2.fma(FloatVector.fromArray(F, x0, i + block), a2);
                a3 = w3.fma(FloatVector.fromArray(F, x0, i + block + L), a3);
                b0 = w0.fma(FloatVector.fromArray(F, x1, i), b0);
                b1 = w1.fma(FloatVector.fromArray(F, x1, i + L), b1);
                b2 = w2.fma(FloatVector.fromArray(F, x1, i + block), b2);
                b3 = w3.fma(FloatVector.fromArray(F, x1, i + block + L), b3);
            }
            if (i < upper1) {
                IntVector v0 = IntVector.fromMemorySegment(I, w, base + 2L * i, LE);
                FloatVector w0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector w1 = v0.and(high).reinterpretAsFloats();
                a0 = w0.fma(FloatVector.fromArray(F, x0, i), a0);
                a1 = w1.fma(FloatVector.fromArray(F, x0, i + L), a1);
                b0 = w0.fma(FloatVector.fromArray(F, x1, i), b0);
                b1 = w1.fma(FloatVector.fromArray(F, x1, i + L), b1);
                i += block;
            }
            a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
            float s0 = sum(lanes);
            b0.add(b1).add(b2.add(b3)).intoArray(lanes, 0);
            float s1 = sum(lanes);
            for (; i < k; i++) {
                float wi = bf16(w, base + 2L * i);
                s0 += wi * x0[i];
                s1 += wi * x1[i];
            }
            y0[yOff + r] = s0;
            y1[yOff + r] = s1;
        }
    }
}
