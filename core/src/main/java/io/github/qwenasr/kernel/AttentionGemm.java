package io.github.qwenasr.kernel;

/**
 * The two products of a many-query attention block as packed GEMMs (docs/kernels.md 3.1): scores = Q K^T
 * and out = P V for a block of query rows against one kv head. A long prefill spends most of its
 * attention time here; as GEMMs over panels packed once per layer and kv head, every key and
 * value element loaded from L1 feeds a whole register tile of query rows instead of one dot product.
 *
 * <p>Keys [t][hd] are packed as the GEMM's weight panels [t/NR][hd][NR] (key rows are the output
 * features of the score product), values as panels of V^T, [hd/NR][t][NR] (head-dimension slices
 * are the features, positions the reduction). Both are padded with zero rows to a multiple of
 * {@link #positionAlign()} positions, so a block may use any prefix of them rounded up to that.
 */
final class AttentionGemm {
    private AttentionGemm() {}

    /** Whether a head dimension fits the panel layout (a multiple of the panel width). */
    static boolean supports(int headDim) {
        return headDim % Gemm.NR == 0;
    }

    /** Positions are handled in multiples of this (the panel width). */
    static int positionAlign() {
        return Gemm.NR;
    }

    /** t rounded up to {@link #positionAlign()}. */
    static int paddedPositions(int t) {
        return (t + Gemm.NR - 1) / Gemm.NR * Gemm.NR;
    }

    /** Floats of a key or value panel array for t positions of width hd. */
    static int panelLength(int t, int hd) {
        return paddedPositions(t) * hd;
    }

    /** Packs keys [0, t) (position p's at kc[p * stride + off], hd floats) into dst as key panels (zero-padded). */
    static void packKeys(float[] kc, int stride, int off, int t, int hd, float[] dst) {
        int tp = paddedPositions(t);
        int nr = Gemm.NR;
        for (int p0 = 0; p0 < tp; p0 += nr) {
            int base = p0 * hd;
            for (int j = 0; j < nr; j++) {
                int pos = p0 + j;
                if (pos < t) {
                    int src = pos * stride + off;
                    for (int d = 0; d < hd; d++) dst[base + d * nr + j] = kc[src + d];
                } else {
                    for (int d = 0; d < hd; d++) dst[base + d * nr + j] = 0f;
                }
            }
        }
    }

    /** Packs values [0, t) (position p's at vc[p * stride + off], hd floats) into dst as value panels (zero-padded). */
    static void packValues(float[] vc, int stride, int off, int t, int hd, float[] dst) {
        int tp = paddedPositions(t);
        int nr = Gemm.NR;
        for (int f0 = 0; f0 < hd; f0 += nr) {
            int base = f0 * tp;
            for (int pos = 0; pos < t; pos++) System.arraycopy(vc, pos * stride + off + f0, dst, base + pos * nr, nr);
            java.util.Arrays.fill(dst, base + t * nr, base + tp * nr, 0f);
        }
    }

    /**
     * scores[r][j] = q[r] . K[j] for m query rows (q is [m][hd]) and keys j in [0, width), width a
     * multiple of {@link #positionAlign()}; scores is [m][width]. Single-threaded (one task).
     */
    static void scores(float[] q, int m, int hd, float[] keyPanels, int width, float[] scores) {
        Gemm.runPanels(q, m, hd, keyPanels, hd * Gemm.NR, scores, width);
    }

    /**
     * out[r] = sum_j p[r][j] V[j] over positions j in [0, width) for m rows (p is [m][width], width
     * a multiple of {@link #positionAlign()}, zero past each row's last position); valuePanels were
     * packed for t positions (t >= width). out is [m][hd]. Single-threaded (one task).
     */
    static void weightedSum(float[] p, int m, int width, float[] valuePanels, int t, int hd, float[] out) {
        Gemm.runPanels(p, m, width, valuePanels, paddedPositions(t) * Gemm.NR, out, hd);
    }
}
