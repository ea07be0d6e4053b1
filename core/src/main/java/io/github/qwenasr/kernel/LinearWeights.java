package io.github.qwenasr.kernel;

/**
 * The weight of one linear layer without bias, {@code y = x W^T}, W stored [out][in]: either the
 * checkpoint's mapped tensor ({@link TensorWeights}, bf16) or its int8 quantization
 * ({@link Int8Weights}). A layer is written once against this and runs on either.
 */
public sealed interface LinearWeights permits TensorWeights, Int8Weights {
    /** The checkpoint tensor's name. */
    String name();

    /** Output features (rows of W). */
    int rows();

    /** Input features (columns of W). */
    int cols();

    /**
     * Rows per dynamically scheduled chunk of a one-row mat-vec: tens of microseconds of streaming,
     * a multiple of 4.
     */
    int chunkRows();

    /** Whether {@link #matVecRows} needs its input prepared with the int8 run sums (else the bf16 order). */
    boolean int8();

    /**
     * One slice of a mat-vec: y[yOff + r] = W[r] . x for rows r in [start, end). The input must be
     * prepared for this kind of weight ({@link MatVecInput}).
     */
    void matVecRows(MatVecInput x, int start, int end, float[] y, int yOff);

    /** y[t][j] = sum_i x[t][i] W[j][i] for t in [0, m), on the pool (a mat-vec for m = 1, else a GEMM). */
    void linear(Parallel par, float[] x, int m, float[] y);
}
