package io.github.qwenasr.decoder;

import io.github.qwenasr.kernel.Ops;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of one query head over the cached positions (MODEL.md 4.5): scaled dot products,
 * softmax, weighted sum of values. Keys are scored four at a time (four independent FMA chains
 * instead of one), and the weighted sum keeps a 4-vector slice of the output in registers over all
 * positions. Both give the same float results as one dot product per key and one axpy per position:
 * every output element sees the same operations in the same order.
 */
final class Attention {
    private Attention() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /**
     * out[outOff..+hd) = softmax(q . K[t] * scale) . V for t in [0, visible), where the key and
     * value of position t for this head start at t*stride + kvOff in kc and vc.
     *
     * @param scores scratch of at least `visible` floats from scoresOff
     */
    static void head(float[] q, int qOff, float[] kc, float[] vc, int stride, int kvOff, int hd, int visible,
                     float scale, float[] scores, int scoresOff, float[] out, int outOff) {
        int upper = F.loopBound(hd);
        int t = 0;
        for (; t + 4 <= visible; t += 4) {
            int k0 = t * stride + kvOff;
            int k1 = k0 + stride;
            int k2 = k1 + stride;
            int k3 = k2 + stride;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int i = 0; i < upper; i += L) {
                FloatVector qv = FloatVector.fromArray(F, q, qOff + i);
                a0 = qv.fma(FloatVector.fromArray(F, kc, k0 + i), a0);
                a1 = qv.fma(FloatVector.fromArray(F, kc, k1 + i), a1);
                a2 = qv.fma(FloatVector.fromArray(F, kc, k2 + i), a2);
                a3 = qv.fma(FloatVector.fromArray(F, kc, k3 + i), a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            float s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD);
            float s3 = a3.reduceLanes(VectorOperators.ADD);
            for (int i = upper; i < hd; i++) {
                float qi = q[qOff + i];
                s0 += qi * kc[k0 + i];
                s1 += qi * kc[k1 + i];
                s2 += qi * kc[k2 + i];
                s3 += qi * kc[k3 + i];
            }
            scores[scoresOff + t] = s0 * scale;
            scores[scoresOff + t + 1] = s1 * scale;
            scores[scoresOff + t + 2] = s2 * scale;
            scores[scoresOff + t + 3] = s3 * scale;
        }
        for (; t < visible; t++) {
            scores[scoresOff + t] = io.github.qwenasr.kernel.MatMul.dot(q, qOff, kc, t * stride + kvOff, hd) * scale;
        }
        Ops.softmax(scores, scoresOff, visible);

        int slice = 4 * L;
        int j = 0;
        for (; j + slice <= hd; j += slice) {
            FloatVector c0 = FloatVector.zero(F);
            FloatVector c1 = FloatVector.zero(F);
            FloatVector c2 = FloatVector.zero(F);
            FloatVector c3 = FloatVector.zero(F);
            int base = kvOff + j;
            for (int p = 0; p < visible; p++) {
                FloatVector pv = FloatVector.broadcast(F, scores[scoresOff + p]);
                int o = p * stride + base;
                c0 = FloatVector.fromArray(F, vc, o).fma(pv, c0);
                c1 = FloatVector.fromArray(F, vc, o + L).fma(pv, c1);
                c2 = FloatVector.fromArray(F, vc, o + 2 * L).fma(pv, c2);
                c3 = FloatVector.fromArray(F, vc, o + 3 * L).fma(pv, c3);
            }
            c0.intoArray(out, outOff + j);
            c1.intoArray(out, outOff + j + L);
            c2.intoArray(out, outOff + j + 2 * L);
            c3.intoArray(out, outOff + j + 3 * L);
        }
        if (j < hd) {
            java.util.Arrays.fill(out, outOff + j, outOff + hd, 0f);
            for (int p = 0; p < visible; p++) {
                io.github.qwenasr.kernel.MatMul.axpy(scores[scoresOff + p], vc, p * stride + kvOff + j, out, outOff + j, hd - j);
            }
        }
    }

    /**
     * {@link #head} for up to four consecutive queries of one head that see the same keys except
     * their own causal tails (query r sees visible[r] positions): each key and value row is loaded
     * once for all of them instead of once per query, which is what limits long prefills. Every
     * output element sees the same operations in the same order as in {@link #head}, so compiled
     * results are identical (an interpreted lane reduction may round the last bit differently).
     *
     * @param qOff    offset of each query (nq entries)
     * @param visible positions each query sees (nq entries, non-decreasing)
     * @param scores  scratch of at least nq * visible[nq-1] floats
     * @param outOff  offset of each query's output (nq entries)
     */
    static void block(float[] q, int[] qOff, int nq, float[] kc, float[] vc, int stride, int kvOff, int hd,
                      int[] visible, float scale, float[] scores, float[] out, int[] outOff) {
        if (nq == 1 || hd % (2 * L) != 0) {
            int width = visible[nq - 1];
            for (int r = 0; r < nq; r++) {
                head(q, qOff[r], kc, vc, stride, kvOff, hd, visible[r], scale, scores, r * width, out, outOff[r]);
            }
            return;
        }
        int width = visible[nq - 1];
        int minVis = visible[0];
        // Scores: per key one FMA chain per query over the head dimension, reduced as in head().
        for (int t = 0; t < width; t++) {
            int ko = t * stride + kvOff;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int i = 0; i < hd; i += L) {
                FloatVector kv = FloatVector.fromArray(F, kc, ko + i);
                a0 = FloatVector.fromArray(F, q, qOff[0] + i).fma(kv, a0);
                a1 = FloatVector.fromArray(F, q, qOff[1] + i).fma(kv, a1);
                if (nq > 2) a2 = FloatVector.fromArray(F, q, qOff[2] + i).fma(kv, a2);
                if (nq > 3) a3 = FloatVector.fromArray(F, q, qOff[3] + i).fma(kv, a3);
            }
            scores[t] = a0.reduceLanes(VectorOperators.ADD) * scale;
            scores[width + t] = a1.reduceLanes(VectorOperators.ADD) * scale;
            if (nq > 2) scores[2 * width + t] = a2.reduceLanes(VectorOperators.ADD) * scale;
            if (nq > 3) scores[3 * width + t] = a3.reduceLanes(VectorOperators.ADD) * scale;
        }
        for (int r = 0; r < nq; r++) Ops.softmax(scores, r * width, visible[r]);
        // Weighted sum: a 2-vector slice of every query's output in registers over all positions.
        for (int j = 0; j < hd; j += 2 * L) {
            for (int r = 0; r < nq; r += 2) {
                boolean two = r + 1 < nq;
                FloatVector c0 = FloatVector.zero(F);
                FloatVector c1 = FloatVector.zero(F);
                FloatVector d0 = FloatVector.zero(F);
                FloatVector d1 = FloatVector.zero(F);
                int s0 = r * width;
                int s1 = (r + 1) * width;
                int end0 = visible[r];
                int end1 = two ? visible[r + 1] : 0;
                int shared = two ? Math.min(end0, end1) : end0;
                int p = 0;
                for (; p < shared; p++) {
                    int o = p * stride + kvOff + j;
                    FloatVector v0 = FloatVector.fromArray(F, vc, o);
                    FloatVector v1 = FloatVector.fromArray(F, vc, o + L);
                    FloatVector w0 = FloatVector.broadcast(F, scores[s0 + p]);
                    c0 = v0.fma(w0, c0);
                    c1 = v1.fma(w0, c1);
                    if (two) {
                        FloatVector w1 = FloatVector.broadcast(F, scores[s1 + p]);
                        d0 = v0.fma(w1, d0);
                        d1 = v1.fma(w1, d1);
                    }
                }
                for (int p0 = p; p0 < end0; p0++) {
                    int o = p0 * stride + kvOff + j;
                    FloatVector w0 = FloatVector.broadcast(F, scores[s0 + p0]);
                    c0 = FloatVector.fromArray(F, vc, o).fma(w0, c0);
                    c1 = FloatVector.fromArray(F, vc, o + L).fma(w0, c1);
                }
                for (int p1 = p; p1 < end1; p1++) {
                    int o = p1 * stride + kvOff + j;
                    FloatVector w1 = FloatVector.broadcast(F, scores[s1 + p1]);
                    d0 = FloatVector.fromArray(F, vc, o).fma(w1, d0);
                    d1 = FloatVector.fromArray(F, vc, o + L).fma(w1, d1);
                }
                c0.intoArray(out, outOff[r] + j);
                c1.intoArray(out, outOff[r] + j + L);
                if (two) {
                    d0.intoArray(out, outOff[r + 1] + j);
                    d1.intoArray(out, outOff[r + 1] + j + L);
                }
            }
        }
    }
}
