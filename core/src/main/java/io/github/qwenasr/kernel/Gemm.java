package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Many-row linear layer y[t][n] = b[n] + sum_k x[t][k] W[n][k] as a packed outer-product GEMM
 * (KERNELS.md 3): the vector dimension runs over output features, the broadcast dimension over
 * tokens. Weights are widened from bf16 once per (k-block, feature-block) into 2-vector-wide
 * panels [k][2L] that stay in L1/L2 while every token streams past them; each micro-kernel step
 * does 2 panel loads and 8 broadcasts for 16 FMAs on 16 accumulators.
 */
final class Gemm {
    private Gemm() {}

    private static final VectorSpecies<Float> F = MatMul.F;
    private static final int L = MatMul.L;
    /** Features per panel: two vectors. */
    static final int NR = 2 * L;
    /**
     * Tokens per micro-kernel call: 8 (16 accumulators) where the CPU has 32 vector registers
     * (AVX-512), 4 (8 accumulators) where it has 16 (AVX2), so accumulators never spill.
     */
    private static final int MR = F.vectorBitSize() >= 512 ? 8 : 4;
    /** k-block: a panel of KC x NR floats stays in L1 (32 KB for 512-bit vectors). */
    private static final int KC = 256;
    /** Features per block: NB x KC packed floats stay in L2 while all tokens pass. */
    private static final int NB = 8 * NR;

    /** Computes features [n0, n1) (n1 - n0 a multiple of NR, or the tail handled by the caller). */
    static void run(float[] x, int m, int k, Tensor w, float[] bias, float[] y, int n, int n0, int n1) {
        float[] packed = new float[NB * KC];
        float[] rowBuf = new float[KC];
        int mFull = m - m % MR;
        float[] xp = new float[mFull * Math.min(KC, k)];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            boolean first = k0 == 0;
            packTokens(x, k, k0, kc, mFull, xp);
            for (int b0 = n0; b0 < n1; b0 += NB) {
                int nb = Math.min(NB, n1 - b0);
                int panels = nb / NR;
                pack(w, k, k0, kc, b0, panels, packed, rowBuf);
                for (int p = 0; p < panels; p++) {
                    int col = b0 + p * NR;
                    int pOff = p * kc * NR;
                    int t = 0;
                    if (MR == 8) {
                        for (; t + MR <= m; t += MR) kernel8(xp, t * kc, kc, packed, pOff, y, n, t, col, first, bias);
                    } else {
                        for (; t + MR <= m; t += MR) kernel4(xp, t * kc, kc, packed, pOff, y, n, t, col, first, bias);
                    }
                    for (; t < m; t++) kernel1(x, k, k0, kc, packed, pOff, y, n, t, col, first, bias);
                }
            }
        }
    }

    /** Interleaves tokens in groups of MR: xp[(t/MR)*kc*MR + i*MR + t%MR] = x[t][k0+i]. */
    private static void packTokens(float[] x, int k, int k0, int kc, int mFull, float[] xp) {
        for (int t0 = 0; t0 < mFull; t0 += MR) {
            int base = t0 * kc;
            for (int j = 0; j < MR; j++) {
                int src = (t0 + j) * k + k0;
                for (int i = 0; i < kc; i++) xp[base + i * MR + j] = x[src + i];
            }
        }
    }

    /** Widens rows [b0, b0 + panels*NR) x columns [k0, k0+kc) into panels [p][k][NR]. */
    private static void pack(Tensor w, int k, int k0, int kc, int b0, int panels, float[] packed, float[] rowBuf) {
        for (int p = 0; p < panels; p++) {
            int base = p * kc * NR;
            for (int j = 0; j < NR; j++) {
                int row = b0 + p * NR + j;
                MatMul.widenRange(w, (long) row * k + k0, kc, rowBuf);
                for (int i = 0; i < kc; i++) packed[base + i * NR + j] = rowBuf[i];
            }
        }
    }

    private static void kernel8(float[] xp, int xOff, int kc, float[] pk, int pOff, float[] y, int n, int t,
                                int col, boolean first, float[] bias) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51, a60, a61, a70, a71;
        if (first) {
            FloatVector b0 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, col);
            FloatVector b1 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, col + L);
            a00 = b0; a10 = b0; a20 = b0; a30 = b0; a40 = b0; a50 = b0; a60 = b0; a70 = b0;
            a01 = b1; a11 = b1; a21 = b1; a31 = b1; a41 = b1; a51 = b1; a61 = b1; a71 = b1;
        } else {
            int r = t * n + col;
            a00 = FloatVector.fromArray(F, y, r); a01 = FloatVector.fromArray(F, y, r + L); r += n;
            a10 = FloatVector.fromArray(F, y, r); a11 = FloatVector.fromArray(F, y, r + L); r += n;
            a20 = FloatVector.fromArray(F, y, r); a21 = FloatVector.fromArray(F, y, r + L); r += n;
            a30 = FloatVector.fromArray(F, y, r); a31 = FloatVector.fromArray(F, y, r + L); r += n;
            a40 = FloatVector.fromArray(F, y, r); a41 = FloatVector.fromArray(F, y, r + L); r += n;
            a50 = FloatVector.fromArray(F, y, r); a51 = FloatVector.fromArray(F, y, r + L); r += n;
            a60 = FloatVector.fromArray(F, y, r); a61 = FloatVector.fromArray(F, y, r + L); r += n;
            a70 = FloatVector.fromArray(F, y, r); a71 = FloatVector.fromArray(F, y, r + L);
        }
        for (int i = 0; i < kc; i++) {
            int po = pOff + i * NR;
            FloatVector w0 = FloatVector.fromArray(F, pk, po);
            FloatVector w1 = FloatVector.fromArray(F, pk, po + L);
            int xi = xOff + i * MR;
            FloatVector b = FloatVector.broadcast(F, xp[xi]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(F, xp[xi + 1]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(F, xp[xi + 2]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(F, xp[xi + 3]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31);
            b = FloatVector.broadcast(F, xp[xi + 4]);
            a40 = w0.fma(b, a40); a41 = w1.fma(b, a41);
            b = FloatVector.broadcast(F, xp[xi + 5]);
            a50 = w0.fma(b, a50); a51 = w1.fma(b, a51);
            b = FloatVector.broadcast(F, xp[xi + 6]);
            a60 = w0.fma(b, a60); a61 = w1.fma(b, a61);
            b = FloatVector.broadcast(F, xp[xi + 7]);
            a70 = w0.fma(b, a70); a71 = w1.fma(b, a71);
        }
        int r = t * n + col;
        a00.intoArray(y, r); a01.intoArray(y, r + L); r += n;
        a10.intoArray(y, r); a11.intoArray(y, r + L); r += n;
        a20.intoArray(y, r); a21.intoArray(y, r + L); r += n;
        a30.intoArray(y, r); a31.intoArray(y, r + L); r += n;
        a40.intoArray(y, r); a41.intoArray(y, r + L); r += n;
        a50.intoArray(y, r); a51.intoArray(y, r + L); r += n;
        a60.intoArray(y, r); a61.intoArray(y, r + L); r += n;
        a70.intoArray(y, r); a71.intoArray(y, r + L);
    }

    private static void kernel4(float[] xp, int xOff, int kc, float[] pk, int pOff, float[] y, int n, int t,
                                int col, boolean first, float[] bias) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31;
        if (first) {
            FloatVector b0 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, col);
            FloatVector b1 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, col + L);
            a00 = b0; a10 = b0; a20 = b0; a30 = b0;
            a01 = b1; a11 = b1; a21 = b1; a31 = b1;
        } else {
            int r = t * n + col;
            a00 = FloatVector.fromArray(F, y, r); a01 = FloatVector.fromArray(F, y, r + L); r += n;
            a10 = FloatVector.fromArray(F, y, r); a11 = FloatVector.fromArray(F, y, r + L); r += n;
            a20 = FloatVector.fromArray(F, y, r); a21 = FloatVector.fromArray(F, y, r + L); r += n;
            a30 = FloatVector.fromArray(F, y, r); a31 = FloatVector.fromArray(F, y, r + L);
        }
        for (int i = 0; i < kc; i++) {
            int po = pOff + i * NR;
            FloatVector w0 = FloatVector.fromArray(F, pk, po);
            FloatVector w1 = FloatVector.fromArray(F, pk, po + L);
            int xi = xOff + i * 4;
            FloatVector b = FloatVector.broadcast(F, xp[xi]);
            a00 = w0.fma(b, a00); a01 = w1.fma(b, a01);
            b = FloatVector.broadcast(F, xp[xi + 1]);
            a10 = w0.fma(b, a10); a11 = w1.fma(b, a11);
            b = FloatVector.broadcast(F, xp[xi + 2]);
            a20 = w0.fma(b, a20); a21 = w1.fma(b, a21);
            b = FloatVector.broadcast(F, xp[xi + 3]);
            a30 = w0.fma(b, a30); a31 = w1.fma(b, a31);
        }
        int r = t * n + col;
        a00.intoArray(y, r); a01.intoArray(y, r + L); r += n;
        a10.intoArray(y, r); a11.intoArray(y, r + L); r += n;
        a20.intoArray(y, r); a21.intoArray(y, r + L); r += n;
        a30.intoArray(y, r); a31.intoArray(y, r + L);
    }

    private static void kernel1(float[] x, int k, int k0, int kc, float[] pk, int pOff, float[] y, int n, int t,
                                int col, boolean first, float[] bias) {
        int r = t * n + col;
        FloatVector a0, a1;
        if (first) {
            a0 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, col);
            a1 = bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, col + L);
        } else {
            a0 = FloatVector.fromArray(F, y, r);
            a1 = FloatVector.fromArray(F, y, r + L);
        }
        int x0 = t * k + k0;
        for (int i = 0; i < kc; i++) {
            int po = pOff + i * NR;
            FloatVector b = FloatVector.broadcast(F, x[x0 + i]);
            a0 = FloatVector.fromArray(F, pk, po).fma(b, a0);
            a1 = FloatVector.fromArray(F, pk, po + L).fma(b, a1);
        }
        a0.intoArray(y, r);
        a1.intoArray(y, r + L);
    }
}
