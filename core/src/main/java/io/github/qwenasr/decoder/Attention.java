package io.github.qwenasr.decoder;

import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of one query head over the cached positions (docs/model.md 4.5): scaled dot products,
 * softmax, weighted sum of values. Keys are scored four at a time (four independent FMA chains
 * instead of one), and the weighted sum keeps a 4-vector slice of the output in registers over all
 * positions. Both give the same float results as one dot product per key and one axpy per position:
 * every output element sees the same operations in the same order. A prefill runs {@link #rows}:
 * the same operations for a block of query rows that share one kv head, with every key and value
 * row loaded from memory once for the whole block; a decode step runs {@link #group}, the same
 * for the query heads of one GQA group at one position.
 */
final class Attention {
    private Attention() {}

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
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

    /** Keys per tile of the score pass: a tile of K rows stays in L1 while every row block scores it. */
    private static final int KEY_TILE = 48;
    /** Positions per tile of the weighted sum: a tile of V rows stays in L1 while every row block uses it. */
    private static final int VALUE_TILE = 64;

    /**
     * {@link #head} for several query rows that share one kv head (the query heads of a GQA group
     * and consecutive positions): row r has its query at qOff[r], sees visible[r] positions and
     * writes out[outOff[r]..+hd). Each key and value row is loaded from memory once for all rows,
     * and tiles of keys and values stay in L1 while register blocks of rows (4 rows by 3 keys or 2
     * rows by 4 keys for scores, 3 or 2 rows by a 4-vector output slice for the weighted sum) use
     * them. Every output element sees the same operations in the same order as in {@link #head}: per key one FMA chain over
     * the head dimension reduced across lanes, softmax over the row's visible positions, and per
     * output slice the positions accumulated in increasing order from zero (a partial sum is
     * stored and reloaded between tiles, which is exact). Compiled results are therefore identical
     * (an interpreted lane reduction may round the last bit differently).
     *
     * @param visible positions each row sees (nr entries, at least 1)
     * @param scores  scratch of at least nr * max(visible) floats from scoresOff
     */
    static void rows(float[] q, int[] qOff, int nr, float[] kc, float[] vc, int stride, int kvOff, int hd,
                     int[] visible, float scale, float[] scores, int scoresOff, float[] out, int[] outOff) {
        if (hd % (4 * L) != 0) {
            int width = 0;
            for (int r = 0; r < nr; r++) width = Math.max(width, visible[r]);
            for (int r = 0; r < nr; r++) {
                head(q, qOff[r], kc, vc, stride, kvOff, hd, visible[r], scale, scores, scoresOff + r * width, out, outOff[r]);
            }
            return;
        }
        int width = 0;
        int shared = Integer.MAX_VALUE;
        for (int r = 0; r < nr; r++) {
            width = Math.max(width, visible[r]);
            shared = Math.min(shared, visible[r]);
        }
        // Scores of every row for keys [0, width): a row's keys past its own visible are never read.
        for (int t0 = 0; t0 < width; t0 += KEY_TILE) {
            int t1 = Math.min(width, t0 + KEY_TILE);
            int r = 0;
            for (; r + 4 <= nr; r += 4) {
                scores4(q, qOff[r], qOff[r + 1], qOff[r + 2], qOff[r + 3], kc, stride, kvOff, hd, scale, scores,
                        scoresOff + r * width, width, t0, t1);
            }
            if (r + 2 <= nr) {
                scores2(q, qOff[r], qOff[r + 1], kc, stride, kvOff, hd, scale, scores, scoresOff + r * width, width, t0, t1);
                r += 2;
            }
            for (; r < nr; r++) scores1(q, qOff[r], kc, stride, kvOff, hd, scale, scores, scoresOff + r * width, t0, t1);
        }
        for (int r = 0; r < nr; r++) Ops.softmax(scores, scoresOff + r * width, visible[r]);
        // Weighted sum over the positions every row sees, tile by tile, then each row's own tail.
        for (int p0 = 0; p0 < shared; p0 += VALUE_TILE) {
            int p1 = Math.min(shared, p0 + VALUE_TILE);
            int r = 0;
            for (; r + 3 <= nr; r += 3) {
                for (int j = 0; j < hd; j += 4 * L) sum3(vc, stride, kvOff + j, scores, scoresOff + r * width, width, p0, p1, out,
                        outOff[r] + j, outOff[r + 1] + j, outOff[r + 2] + j);
            }
            if (r + 2 <= nr) {
                for (int j = 0; j < hd; j += 4 * L) sum2(vc, stride, kvOff + j, scores, scoresOff + r * width, width, p0, p1, out,
                        outOff[r] + j, outOff[r + 1] + j);
                r += 2;
            }
            for (; r < nr; r++) {
                for (int j = 0; j < hd; j += 4 * L) sum1(vc, stride, kvOff + j, scores, scoresOff + r * width, p0, p1, out, outOff[r] + j);
            }
        }
        for (int r = 0; r < nr; r++) {
            if (visible[r] > shared) {
                for (int j = 0; j < hd; j += 4 * L) sum1(vc, stride, kvOff + j, scores, scoresOff + r * width, shared, visible[r], out, outOff[r] + j);
            }
        }
    }

    /**
     * {@link #rows} for the query heads of one GQA group at one position (a decode step): nr
     * queries at qOff + r*hd that all see the same visible positions of one kv head; query r
     * writes its probabilities at scoresOff + r*visible and its output at outOff + r*hd. Every key
     * and value row is loaded from memory once for the whole group (at long contexts the step is
     * bound by streaming the cache), so compiled results are identical to nr calls of {@link #head}.
     *
     * @param scores scratch of at least nr * visible floats from scoresOff
     */
    static void group(float[] q, int qOff, int nr, float[] kc, float[] vc, int stride, int kvOff, int hd, int visible,
                      float scale, float[] scores, int scoresOff, float[] out, int outOff) {
        int[] qOffs = new int[nr];
        int[] outOffs = new int[nr];
        int[] visibles = new int[nr];
        for (int r = 0; r < nr; r++) {
            qOffs[r] = qOff + r * hd;
            outOffs[r] = outOff + r * hd;
            visibles[r] = visible;
        }
        rows(q, qOffs, nr, kc, vc, stride, kvOff, hd, visibles, scale, scores, scoresOff, out, outOffs);
    }

    /**
     * Scores of four rows (queries at q0..q3, scores at s0, s0+width, s0+2*width, s0+3*width) for
     * keys [t0, t1), three keys at a time.
     */
    private static void scores4(float[] q, int q0, int q1, int q2, int q3, float[] kc, int stride, int kvOff, int hd,
                                float scale, float[] scores, int s0, int width, int t0, int t1) {
        int s1 = s0 + width;
        int s2 = s1 + width;
        int s3 = s2 + width;
        int t = t0;
        for (; t + 3 <= t1; t += 3) {
            int k0 = t * stride + kvOff;
            int k1 = k0 + stride;
            int k2 = k1 + stride;
            FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F);
            FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F), a22 = FloatVector.zero(F);
            FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F), a32 = FloatVector.zero(F);
            for (int i = 0; i < hd; i += L) {
                FloatVector kv0 = FloatVector.fromArray(F, kc, k0 + i);
                FloatVector kv1 = FloatVector.fromArray(F, kc, k1 + i);
                FloatVector kv2 = FloatVector.fromArray(F, kc, k2 + i);
                FloatVector qv = FloatVector.fromArray(F, q, q0 + i);
                a00 = qv.fma(kv0, a00);
                a01 = qv.fma(kv1, a01);
                a02 = qv.fma(kv2, a02);
                qv = FloatVector.fromArray(F, q, q1 + i);
                a10 = qv.fma(kv0, a10);
                a11 = qv.fma(kv1, a11);
                a12 = qv.fma(kv2, a12);
                qv = FloatVector.fromArray(F, q, q2 + i);
                a20 = qv.fma(kv0, a20);
                a21 = qv.fma(kv1, a21);
                a22 = qv.fma(kv2, a22);
                qv = FloatVector.fromArray(F, q, q3 + i);
                a30 = qv.fma(kv0, a30);
                a31 = qv.fma(kv1, a31);
                a32 = qv.fma(kv2, a32);
            }
            scores[s0 + t] = a00.reduceLanes(VectorOperators.ADD) * scale;
            scores[s0 + t + 1] = a01.reduceLanes(VectorOperators.ADD) * scale;
            scores[s0 + t + 2] = a02.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t] = a10.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t + 1] = a11.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t + 2] = a12.reduceLanes(VectorOperators.ADD) * scale;
            scores[s2 + t] = a20.reduceLanes(VectorOperators.ADD) * scale;
            scores[s2 + t + 1] = a21.reduceLanes(VectorOperators.ADD) * scale;
            scores[s2 + t + 2] = a22.reduceLanes(VectorOperators.ADD) * scale;
            scores[s3 + t] = a30.reduceLanes(VectorOperators.ADD) * scale;
            scores[s3 + t + 1] = a31.reduceLanes(VectorOperators.ADD) * scale;
            scores[s3 + t + 2] = a32.reduceLanes(VectorOperators.ADD) * scale;
        }
        for (; t < t1; t++) {
            int k0 = t * stride + kvOff;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int i = 0; i < hd; i += L) {
                FloatVector kv = FloatVector.fromArray(F, kc, k0 + i);
                a0 = FloatVector.fromArray(F, q, q0 + i).fma(kv, a0);
                a1 = FloatVector.fromArray(F, q, q1 + i).fma(kv, a1);
                a2 = FloatVector.fromArray(F, q, q2 + i).fma(kv, a2);
                a3 = FloatVector.fromArray(F, q, q3 + i).fma(kv, a3);
            }
            scores[s0 + t] = a0.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t] = a1.reduceLanes(VectorOperators.ADD) * scale;
            scores[s2 + t] = a2.reduceLanes(VectorOperators.ADD) * scale;
            scores[s3 + t] = a3.reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /** {@link #scores4} for two rows (queries at q0, q1; scores at s0, s0+width), four keys at a time. */
    private static void scores2(float[] q, int q0, int q1, float[] kc, int stride, int kvOff, int hd, float scale,
                                float[] scores, int s0, int width, int t0, int t1) {
        int s1 = s0 + width;
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            int k0 = t * stride + kvOff;
            int k1 = k0 + stride;
            int k2 = k1 + stride;
            int k3 = k2 + stride;
            FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F), a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
            FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F), a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
            for (int i = 0; i < hd; i += L) {
                FloatVector kv0 = FloatVector.fromArray(F, kc, k0 + i);
                FloatVector kv1 = FloatVector.fromArray(F, kc, k1 + i);
                FloatVector kv2 = FloatVector.fromArray(F, kc, k2 + i);
                FloatVector kv3 = FloatVector.fromArray(F, kc, k3 + i);
                FloatVector qv = FloatVector.fromArray(F, q, q0 + i);
                a00 = qv.fma(kv0, a00);
                a01 = qv.fma(kv1, a01);
                a02 = qv.fma(kv2, a02);
                a03 = qv.fma(kv3, a03);
                qv = FloatVector.fromArray(F, q, q1 + i);
                a10 = qv.fma(kv0, a10);
                a11 = qv.fma(kv1, a11);
                a12 = qv.fma(kv2, a12);
                a13 = qv.fma(kv3, a13);
            }
            scores[s0 + t] = a00.reduceLanes(VectorOperators.ADD) * scale;
            scores[s0 + t + 1] = a01.reduceLanes(VectorOperators.ADD) * scale;
            scores[s0 + t + 2] = a02.reduceLanes(VectorOperators.ADD) * scale;
            scores[s0 + t + 3] = a03.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t] = a10.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t + 1] = a11.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t + 2] = a12.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t + 3] = a13.reduceLanes(VectorOperators.ADD) * scale;
        }
        for (; t < t1; t++) {
            int k0 = t * stride + kvOff;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            for (int i = 0; i < hd; i += L) {
                FloatVector kv = FloatVector.fromArray(F, kc, k0 + i);
                a0 = FloatVector.fromArray(F, q, q0 + i).fma(kv, a0);
                a1 = FloatVector.fromArray(F, q, q1 + i).fma(kv, a1);
            }
            scores[s0 + t] = a0.reduceLanes(VectorOperators.ADD) * scale;
            scores[s1 + t] = a1.reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /** Scores of one row for keys [t0, t1). */
    private static void scores1(float[] q, int qo, float[] kc, int stride, int kvOff, int hd, float scale,
                                float[] scores, int so, int t0, int t1) {
        for (int t = t0; t < t1; t++) {
            int k0 = t * stride + kvOff;
            FloatVector a = FloatVector.zero(F);
            for (int i = 0; i < hd; i += L) a = FloatVector.fromArray(F, q, qo + i).fma(FloatVector.fromArray(F, kc, k0 + i), a);
            scores[so + t] = a.reduceLanes(VectorOperators.ADD) * scale;
        }
    }

    /**
     * Adds positions [p0, p1) to a 4-vector output slice of rows r..r+2 (scores at s0, s0+width,
     * s0+2*width; value slice at vOff of each position); the slice starts from zero at p0 == 0.
     */
    private static void sum3(float[] vc, int stride, int vOff, float[] scores, int s0, int width, int p0, int p1,
                             float[] out, int o0, int o1, int o2) {
        int s1 = s0 + width;
        int s2 = s1 + width;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        if (p0 == 0) {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = FloatVector.zero(F);
        } else {
            c00 = FloatVector.fromArray(F, out, o0);
            c01 = FloatVector.fromArray(F, out, o0 + L);
            c02 = FloatVector.fromArray(F, out, o0 + 2 * L);
            c03 = FloatVector.fromArray(F, out, o0 + 3 * L);
            c10 = FloatVector.fromArray(F, out, o1);
            c11 = FloatVector.fromArray(F, out, o1 + L);
            c12 = FloatVector.fromArray(F, out, o1 + 2 * L);
            c13 = FloatVector.fromArray(F, out, o1 + 3 * L);
            c20 = FloatVector.fromArray(F, out, o2);
            c21 = FloatVector.fromArray(F, out, o2 + L);
            c22 = FloatVector.fromArray(F, out, o2 + 2 * L);
            c23 = FloatVector.fromArray(F, out, o2 + 3 * L);
        }
        for (int p = p0; p < p1; p++) {
            int o = p * stride + vOff;
            FloatVector v0 = FloatVector.fromArray(F, vc, o);
            FloatVector v1 = FloatVector.fromArray(F, vc, o + L);
            FloatVector v2 = FloatVector.fromArray(F, vc, o + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, vc, o + 3 * L);
            FloatVector w = FloatVector.broadcast(F, scores[s0 + p]);
            c00 = v0.fma(w, c00);
            c01 = v1.fma(w, c01);
            c02 = v2.fma(w, c02);
            c03 = v3.fma(w, c03);
            w = FloatVector.broadcast(F, scores[s1 + p]);
            c10 = v0.fma(w, c10);
            c11 = v1.fma(w, c11);
            c12 = v2.fma(w, c12);
            c13 = v3.fma(w, c13);
            w = FloatVector.broadcast(F, scores[s2 + p]);
            c20 = v0.fma(w, c20);
            c21 = v1.fma(w, c21);
            c22 = v2.fma(w, c22);
            c23 = v3.fma(w, c23);
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + L);
        c02.intoArray(out, o0 + 2 * L);
        c03.intoArray(out, o0 + 3 * L);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + L);
        c12.intoArray(out, o1 + 2 * L);
        c13.intoArray(out, o1 + 3 * L);
        c20.intoArray(out, o2);
        c21.intoArray(out, o2 + L);
        c22.intoArray(out, o2 + 2 * L);
        c23.intoArray(out, o2 + 3 * L);
    }

    /** {@link #sum3} for two rows (scores at s0, s0+width). */
    private static void sum2(float[] vc, int stride, int vOff, float[] scores, int s0, int width, int p0, int p1,
                             float[] out, int o0, int o1) {
        int s1 = s0 + width;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13;
        if (p0 == 0) {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = FloatVector.zero(F);
        } else {
            c00 = FloatVector.fromArray(F, out, o0);
            c01 = FloatVector.fromArray(F, out, o0 + L);
            c02 = FloatVector.fromArray(F, out, o0 + 2 * L);
            c03 = FloatVector.fromArray(F, out, o0 + 3 * L);
            c10 = FloatVector.fromArray(F, out, o1);
            c11 = FloatVector.fromArray(F, out, o1 + L);
            c12 = FloatVector.fromArray(F, out, o1 + 2 * L);
            c13 = FloatVector.fromArray(F, out, o1 + 3 * L);
        }
        for (int p = p0; p < p1; p++) {
            int o = p * stride + vOff;
            FloatVector v0 = FloatVector.fromArray(F, vc, o);
            FloatVector v1 = FloatVector.fromArray(F, vc, o + L);
            FloatVector v2 = FloatVector.fromArray(F, vc, o + 2 * L);
            FloatVector v3 = FloatVector.fromArray(F, vc, o + 3 * L);
            FloatVector w = FloatVector.broadcast(F, scores[s0 + p]);
            c00 = v0.fma(w, c00);
            c01 = v1.fma(w, c01);
            c02 = v2.fma(w, c02);
            c03 = v3.fma(w, c03);
            w = FloatVector.broadcast(F, scores[s1 + p]);
            c10 = v0.fma(w, c10);
            c11 = v1.fma(w, c11);
            c12 = v2.fma(w, c12);
            c13 = v3.fma(w, c13);
        }
        c00.intoArray(out, o0);
        c01.intoArray(out, o0 + L);
        c02.intoArray(out, o0 + 2 * L);
        c03.intoArray(out, o0 + 3 * L);
        c10.intoArray(out, o1);
        c11.intoArray(out, o1 + L);
        c12.intoArray(out, o1 + 2 * L);
        c13.intoArray(out, o1 + 3 * L);
    }

    /** {@link #sum3} for one row. */
    private static void sum1(float[] vc, int stride, int vOff, float[] scores, int so, int p0, int p1, float[] out, int o0) {
        FloatVector c0, c1, c2, c3;
        if (p0 == 0) {
            c0 = c1 = c2 = c3 = FloatVector.zero(F);
        } else {
            c0 = FloatVector.fromArray(F, out, o0);
            c1 = FloatVector.fromArray(F, out, o0 + L);
            c2 = FloatVector.fromArray(F, out, o0 + 2 * L);
            c3 = FloatVector.fromArray(F, out, o0 + 3 * L);
        }
        for (int p = p0; p < p1; p++) {
            int o = p * stride + vOff;
            FloatVector w = FloatVector.broadcast(F, scores[so + p]);
            c0 = FloatVector.fromArray(F, vc, o).fma(w, c0);
            c1 = FloatVector.fromArray(F, vc, o + L).fma(w, c1);
            c2 = FloatVector.fromArray(F, vc, o + 2 * L).fma(w, c2);
            c3 = FloatVector.fromArray(F, vc, o + 3 * L).fma(w, c3);
        }
        c0.intoArray(out, o0);
        c1.intoArray(out, o0 + L);
        c2.intoArray(out, o0 + 2 * L);
        c3.intoArray(out, o0 + 3 * L);
    }
}
