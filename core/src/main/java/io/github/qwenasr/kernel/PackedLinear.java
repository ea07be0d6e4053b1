package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Tensor;

/**
 * A linear layer whose weight is widened once, at construction, into the GEMM's f32 panel layout
 * (docs/kernels.md 3: "pack W once"), for small weights applied to many rows again and again: the
 * encoder's 3x3 convolutions (docs/model.md 3.2) run thousands of patch rows per chunk group.
 *
 * <p>Inputs come already packed in groups of {@link #tokenGroup()} rows, element (t, i) of an
 * m x k input at {@link #packedIndex}, so a producer such as im2col writes them in place and the
 * GEMM reads them without another copy. Rows past m in the last group must be zero.
 */
public final class PackedLinear {
    private final float[] panels;
    private final float[] bias;
    private final int n;
    private final int k;

    /** Packs w ([n][k], n a multiple of {@link #featureAlign()}); bias may be null. */
    public PackedLinear(Tensor w, float[] bias) {
        if (!supports(w)) throw new IllegalArgumentException("packed linear needs rows in multiples of " + Gemm.NR + ": " + w.name());
        this.n = w.rows();
        this.k = w.cols();
        this.panels = Gemm.packAll(w);
        this.bias = bias;
    }

    /** Whether w's row count fits the panel layout. */
    public static boolean supports(Tensor w) {
        return w.rows() % Gemm.NR == 0;
    }

    /** Output features per panel. */
    public static int featureAlign() {
        return Gemm.NR;
    }

    /** Rows per packed group. */
    public static int tokenGroup() {
        return Gemm.MR;
    }

    /** Length of the packed input for m rows of width k (m rounded up to whole groups). */
    public static int packedLength(int m, int k) {
        return Gemm.packedTokensLength(m, k);
    }

    /** Position of x[t][i] in the packed input of width k. */
    public static int packedIndex(int t, int i, int k) {
        int g = Gemm.MR;
        return ((t / g) * k + i) * g + t % g;
    }

    /** Input width. */
    public int inFeatures() {
        return k;
    }

    /** Output width. */
    public int outFeatures() {
        return n;
    }

    /** y[t][j] = bias[j] + sum_i x[t][i] W[j][i] for t in [0, m), from the packed input xp. */
    public void apply(Parallel par, float[] xp, int m, float[] y) {
        if (xp.length < packedLength(m, k) || (long) m * n > y.length) {
            throw new IllegalArgumentException("packed linear: buffers too small");
        }
        par.forRange(n, Gemm.NR, (s, e) -> Gemm.runPacked(xp, m, k, panels, bias, y, n, s, e));
    }
}
