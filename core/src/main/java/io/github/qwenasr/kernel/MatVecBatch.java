package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Tensor;

/**
 * The decode mat-vec for several activation vectors at once (docs/kernels.md 2.1): the rows of a
 * batch of sequences decoding together share every pass over the bf16 weights, which is what a
 * decode step is bound by.
 *
 * <p>Every activation row gets exactly the arithmetic of {@link MatMul#matVecRows} alone, bit for
 * bit: the bf16 tiles of {@link Bf16MatVec} give every output the same accumulation whatever else is
 * in the batch. What is shared is the load: each weight row comes from memory once per step, for
 * two or four activation rows in registers, and a block of weight rows small enough for L1 serves
 * the further groups.
 */
public final class MatVecBatch {
    private MatVecBatch() {}

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
        if (VectorWidth.SCALAR) {
            // The single-row scalar path for each row: the reference has nothing to share.
            for (int j = 0; j < b; j++) MatMul.matVecRows(w, x[j], start, end, y[j], yOff);
            return;
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
        float[][] ordered = new float[b][];
        for (int j = 0; j < b; j++) ordered[j] = x[j].ordered();
        Bf16MatVec.rowsBatch(ordered, b, w.data(), k, start, end, y, yOff);
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

}
