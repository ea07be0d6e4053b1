package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Int8Matrix;

/**
 * A linear layer's weight quantized to int8 ({@link Int8Matrix}): one-row mat-vecs run
 * {@link Int8MatVec}, many rows the packed GEMM with the int8 values widened and scaled to f32 while
 * the weight panels are packed (as bf16 weights are widened there).
 */
public record Int8Weights(Int8Matrix matrix) implements LinearWeights {
    /** Bytes of int8 weights per work chunk of a mat-vec, as {@link MatMul#chunkRows} for bf16. */
    private static final int CHUNK_BYTES = 96 * 1024;

    @Override
    public String name() {
        return matrix.name();
    }

    @Override
    public int rows() {
        return matrix.rows();
    }

    @Override
    public int cols() {
        return matrix.cols();
    }

    @Override
    public int chunkRows() {
        return Math.max(4, (CHUNK_BYTES / matrix.cols()) & ~3);
    }

    @Override
    public boolean int8() {
        return true;
    }

    @Override
    public void matVecRows(MatVecInput x, int start, int end, float[] y, int yOff) {
        Int8MatVec.rows(matrix, x, start, end, y, yOff);
    }

    @Override
    public void linear(Parallel par, float[] x, int m, float[] y) {
        int n = matrix.rows();
        int k = matrix.cols();
        if ((long) m * k > x.length || (long) m * n > y.length) {
            throw new IllegalArgumentException("linear: buffers too small for " + matrix.name());
        }
        if (m == 1) {
            MatVecInput in = new MatVecInput(k, false, true).set(x, 0, k);
            int rows = chunkRows();
            par.forChunks((n + rows - 1) / rows, c -> Int8MatVec.rows(matrix, in, c * rows, Math.min(n, c * rows + rows), y, 0));
            return;
        }
        // Panels of Gemm.NR features go to the packed GEMM; a ragged tail (not in the real models)
        // is dequantized one row at a time.
        int full = n - n % Gemm.NR;
        par.forRange(n, Gemm.NR, (s, e) -> {
            int split = Math.min(e, Math.max(s, full));
            if (s < split) Gemm.runInt8(x, m, k, matrix, y, n, s, split);
            if (split < e) raggedRows(x, m, k, split, e, y, n);
        });
    }

    private void raggedRows(float[] x, int m, int k, int start, int end, float[] y, int n) {
        float[] row = new float[k];
        for (int j = start; j < end; j++) {
            Int8MatVec.dequantize(matrix, j, 1, 0, k, row);
            for (int t = 0; t < m; t++) y[t * n + j] = MatMul.dot(x, t * k, row, 0, k);
        }
    }
}
