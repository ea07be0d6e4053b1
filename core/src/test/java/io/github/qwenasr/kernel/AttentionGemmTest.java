package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link AttentionGemm} against plain double-precision products, on ragged sizes. */
class AttentionGemmTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    @Test
    void scoresAndWeightedSumsEqualTheDirectProducts() {
        int align = AttentionGemm.positionAlign();
        for (int hd : new int[] {align, 2 * align, 128}) {
            for (int t : new int[] {1, 37, 3 * align, 200}) {
                // Positions of the second of two interleaved heads, in arrays longer than t positions.
                int stride = 2 * hd + 1;
                int off = hd + 1;
                float[] keys = random(t * stride + 5, 1);
                float[] values = random(t * stride + 5, 2);
                float[] kp = new float[AttentionGemm.panelLength(t, hd)];
                float[] vp = new float[AttentionGemm.panelLength(t, hd) + 7];
                java.util.Arrays.fill(kp, Float.NaN); // padding must be written, not assumed zero
                java.util.Arrays.fill(vp, Float.NaN);
                AttentionGemm.packKeys(keys, stride, off, t, hd, kp);
                AttentionGemm.packValues(values, stride, off, t, hd, vp);
                for (int m : new int[] {1, 6, 32}) {
                    // A block that sees a prefix of the positions, as an early query block does.
                    int seen = Math.max(1, t - 3);
                    int width = AttentionGemm.paddedPositions(seen);
                    float[] q = random(m * hd, 3 + m);
                    float[] scores = new float[m * width];
                    AttentionGemm.scores(q, m, hd, kp, width, scores);
                    for (int r = 0; r < m; r++) {
                        for (int j = 0; j < width; j++) {
                            double expect = 0;
                            if (j < t) for (int d = 0; d < hd; d++) expect += (double) q[r * hd + d] * keys[j * stride + off + d];
                            assertEquals(expect, scores[r * width + j], 1e-5 * hd, "scores hd " + hd + " t " + t + " m " + m);
                        }
                    }
                    float[] p = random(m * width, 9 + m);
                    for (int r = 0; r < m; r++) {
                        for (int j = seen; j < width; j++) p[r * width + j] = 0f; // past the row's positions
                    }
                    float[] out = new float[m * hd];
                    AttentionGemm.weightedSum(p, m, width, vp, t, hd, out);
                    for (int r = 0; r < m; r++) {
                        for (int d = 0; d < hd; d++) {
                            double expect = 0;
                            for (int j = 0; j < seen; j++) expect += (double) p[r * width + j] * values[j * stride + off + d];
                            assertEquals(expect, out[r * hd + d], 1e-5 * width, "sum hd " + hd + " t " + t + " m " + m);
                        }
                    }
                }
            }
        }
    }

    @Test
    void headDimensionsOutsideThePanelWidthAreRefused() {
        assertTrue(AttentionGemm.supports(128));
        assertFalse(AttentionGemm.supports(AttentionGemm.positionAlign() + 1));
        assertEquals(0, AttentionGemm.paddedPositions(0));
        assertEquals(AttentionGemm.positionAlign(), AttentionGemm.paddedPositions(1));
    }
}
