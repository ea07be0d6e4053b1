package io.github.qwenasr.kernel;

import io.github.qwenasr.weights.Int8Matrix;

import io.github.qwenasr.weights.DType;
import io.github.qwenasr.weights.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Many-row linear layer y[t][n] = b[n] + sum_k x[t][k] W[n][k] as a packed outer-product GEMM
 * (docs/kernels.md 3): the vector dimension runs over output features, the broadcast dimension over
 * tokens. Each micro-kernel step does 2 panel loads and MR broadcasts for 2*MR FMAs.
 *
 * <p>Layouts. Tokens are packed per k-block, in groups of MR, as [g][kc][MR] (the last group
 * zero-padded), so the micro-kernel reads one contiguous run per group; a producer may instead
 * hand over the whole-k layout xp[g][k][MR] (see {@link PackedLinear}). Weights are
 * widened from bf16 into panels [kc][NR] per (k-block, feature block): the 16 rows of a panel are
 * copied as ints and transposed with gathers, one int holding two bf16 values of neighbouring k,
 * which the even/odd shift-and-mask of docs/kernels.md 1 (idiom C) splits into two panel rows. A weight
 * may instead come pre-packed as f32 panels [n/NR][k][NR] (see {@link PackedLinear}).
 *
 * <p>Blocking: a feature block (NB x KC floats) stays in L2 while blocks of MC tokens pass; one
 * panel (KC x NR, 16 KB with 256-bit vectors) stays in L1 while the tokens of a block pass.
 */
final class Gemm {
    private Gemm() {}

    private static final VectorSpecies<Float> F = MatMul.F;
    private static final VectorSpecies<Integer> I = MatMul.I;
    private static final int L = MatMul.L;
    /** Features per panel: two vectors. */
    static final int NR = 2 * L;
    /**
     * Tokens per micro-kernel call: 8 (16 accumulators) where the CPU has 32 vector registers
     * (AVX-512), 4 (8 accumulators) where it has 16 (AVX2), so accumulators never spill.
     */
    static final int MR = F.vectorBitSize() >= 512 ? 8 : 4;
    /** k-block: one panel of KC x NR floats stays in L1. */
    private static final int KC = 256;
    /** Features per block: NB x KC packed floats (128 KB on AVX2) stay in L2 while tokens pass. */
    private static final int NB = 8 * NR;
    /** Tokens per block: their k-block (MC x KC floats) stays in L2 next to the feature block. */
    private static final int MC = 192;
    /** k-steps one token gather covers: L lanes = MR tokens x GATHER_STEPS neighbouring k. */
    private static final int GATHER_STEPS = L / MR;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Per-thread buffers, grown on demand, so a call allocates nothing once warm. */
    private static final class Scratch {
        final float[] panels = new float[NB * KC];
        final int[] stage = new int[NR * KC / 2];
        final int[] rowMap = new int[NR];
        final int[] tokenMap = new int[L];
        /** int8 weights dequantized row-major before the transpose into panels. */
        float[] int8Rows = new float[0];
        float[] tokens = new float[0];
        float[] tail = new float[0];

        float[] tokens(int size) {
            if (tokens.length < size) tokens = new float[size];
            return tokens;
        }

        float[] tail(int size) {
            if (tail.length < size) tail = new float[size];
            return tail;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Length of the packed-token array for m tokens of width k. */
    static int packedTokensLength(int m, int k) {
        return (m + MR - 1) / MR * MR * k;
    }

    /** Computes features [n0, n1) (n1 - n0 a multiple of NR) of y for a row-major weight. */
    static void run(float[] x, int m, int k, Tensor w, float[] bias, float[] y, int n, int n0, int n1) {
        Scratch s = SCRATCH.get();
        compute(x, null, m, k, w, null, null, k * NR, bias, y, n, n0, n1, s);
    }

    /** {@link #run} for an int8 weight, its values widened and scaled while packing; no bias. */
    static void runInt8(float[] x, int m, int k, Int8Matrix w, float[] y, int n, int n0, int n1) {
        compute(x, null, m, k, null, w, null, k * NR, null, y, n, n0, n1, SCRATCH.get());
    }

    /** Computes features [n0, n1) from packed tokens and pre-packed panels [n/NR][k][NR]. */
    static void runPacked(float[] xp, int m, int k, float[] panels, float[] bias, float[] y, int n, int n0, int n1) {
        compute(null, xp, m, k, null, null, panels, k * NR, bias, y, n, n0, n1, SCRATCH.get());
    }

    /**
     * Computes all n features (a multiple of NR) of y from row-major tokens x [m][k] and pre-packed
     * panels whose panel p starts at p * panelStride and holds at least k rows of NR floats (a
     * panel array packed for a longer k serves any shorter prefix of it).
     */
    static void runPanels(float[] x, int m, int k, float[] panels, int panelStride, float[] y, int n) {
        compute(x, null, m, k, null, null, panels, panelStride, null, y, n, 0, n, SCRATCH.get());
    }

    /**
     * Tokens come either row-major (x: each k-block is packed into scratch as [g][kc][MR], so the
     * copy stays m x KC however long the input) or already packed over the whole k (xp).
     */
    private static void compute(float[] x, float[] xp, int m, int k, Tensor w, Int8Matrix q, float[] prepacked, int panelStride,
                                float[] bias, float[] y, int n, int n0, int n1, Scratch s) {
        int groups = (m + MR - 1) / MR;
        int fullGroups = m / MR;
        // The last, partial group accumulates into a scratch tile of MR rows (same stride n).
        float[] tail = groups > fullGroups ? s.tail(MR * n) : null;
        int blockGroups = Math.max(1, MC / MR);
        float[] tokens = x != null ? s.tokens(packedTokensLength(m, Math.min(k, KC))) : xp;
        // The outputs start as the bias (or zero), so the micro-kernels have one path only: load,
        // accumulate, store. A first-block branch inside them made C2 deoptimise and recompile
        // them when a later call took the other side.
        initialise(y, n, 0, fullGroups * MR, n0, n1, bias);
        if (tail != null) initialise(tail, n, 0, MR, n0, n1, bias);
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            int groupStride;
            int kOff;
            if (x != null) {
                packTokens(x, m, k, k0, kc, tokens, s.tokenMap);
                groupStride = MR * kc;
                kOff = 0;
            } else {
                groupStride = MR * k;
                kOff = k0 * MR;
            }
            for (int b0 = n0; b0 < n1; b0 += NB) {
                int panels = Math.min(NB, n1 - b0) / NR;
                float[] pk;
                int pBase;
                int pStep;
                if (prepacked != null) {
                    pk = prepacked;
                    pBase = (b0 / NR) * panelStride + k0 * NR;
                    pStep = panelStride;
                } else {
                    pk = s.panels;
                    if (q != null) packInt8(q, k0, kc, b0, panels, pk, s);
                    else packWeights(w, k, k0, kc, b0, panels, pk, s);
                    pBase = 0;
                    pStep = kc * NR;
                }
                for (int g0 = 0; g0 < groups; g0 += blockGroups) {
                    int g1 = Math.min(groups, g0 + blockGroups);
                    for (int p = 0; p < panels; p++) {
                        int col = b0 + p * NR;
                        int pOff = pBase + p * pStep;
                        for (int g = g0; g < g1; g++) {
                            int xOff = g * groupStride + kOff;
                            float[] out = g < fullGroups ? y : tail;
                            int row = g < fullGroups ? g * MR : 0;
                            if (MR == 8) kernel8(tokens, xOff, kc, pk, pOff, out, n, row, col);
                            else kernel4(tokens, xOff, kc, pk, pOff, out, n, row, col);
                        }
                    }
                }
            }
        }
        if (tail != null) {
            for (int r = fullGroups * MR; r < m; r++) {
                System.arraycopy(tail, (r - fullGroups * MR) * n + n0, y, r * n + n0, n1 - n0);
            }
        }
    }

    /** Sets rows [r0, r1) x columns [n0, n1) of a row-major [.][n] output to the bias, or to zero. */
    private static void initialise(float[] out, int n, int r0, int r1, int n0, int n1, float[] bias) {
        for (int r = r0; r < r1; r++) {
            int row = r * n;
            if (bias != null) System.arraycopy(bias, n0, out, row + n0, n1 - n0);
            else java.util.Arrays.fill(out, row + n0, row + n1, 0f);
        }
    }

    /**
     * Packs columns [k0, k0+kc) of m row-major tokens of width k into xp[g][kc][MR], zero-padding
     * the last group (k0 = 0, kc = k gives the whole-k layout of {@link #packedTokensLength}).
     */
    static void packTokens(float[] x, int m, int k, int k0, int kc, float[] xp, int[] map) {
        int fullGroups = m / MR;
        int g = 0;
        if (kc % GATHER_STEPS == 0) {
            // One gather takes GATHER_STEPS neighbouring k of MR rows: exactly one packed run of L.
            for (int st = 0; st < GATHER_STEPS; st++) {
                for (int j = 0; j < MR; j++) map[st * MR + j] = j * k + st;
            }
            for (; g < fullGroups; g++) {
                int src = g * MR * k + k0;
                int dst = g * MR * kc;
                for (int i = 0; i < kc; i += GATHER_STEPS) {
                    FloatVector.fromArray(F, x, src + i, map, 0).intoArray(xp, dst + i * MR);
                }
            }
        }
        for (; g < (m + MR - 1) / MR; g++) {
            int dst = g * MR * kc;
            for (int j = 0; j < MR; j++) {
                int t = g * MR + j;
                if (t < m) {
                    int src = t * k + k0;
                    for (int i = 0; i < kc; i++) xp[dst + i * MR + j] = x[src + i];
                } else {
                    for (int i = 0; i < kc; i++) xp[dst + i * MR + j] = 0f;
                }
            }
        }
    }

    /** Widens rows [b0, b0 + panels*NR) x columns [k0, k0+kc) into panels [p][kc][NR]. */
    private static void packWeights(Tensor w, int k, int k0, int kc, int b0, int panels, float[] packed, Scratch s) {
        if (w.dtype() != DType.BF16 || (kc & 1) != 0) {
            packScalar(w, k, k0, kc, b0, panels, packed);
            return;
        }
        MemorySegment seg = w.data();
        int h = kc / 2;
        int[] stage = s.stage;
        int[] map = s.rowMap;
        for (int j = 0; j < NR; j++) map[j] = j * h;
        for (int p = 0; p < panels; p++) {
            int row0 = b0 + p * NR;
            for (int j = 0; j < NR; j++) {
                MemorySegment.copy(seg, INT_LE, ((long) (row0 + j) * k + k0) * 2, stage, j * h, h);
            }
            int base = p * kc * NR;
            for (int q = 0; q < h; q++) {
                // Lane j of v0 (v1) holds k0+2q and k0+2q+1 of row j (L+j): low half even, high half odd.
                IntVector v0 = IntVector.fromArray(I, stage, q, map, 0);
                IntVector v1 = IntVector.fromArray(I, stage, q, map, L);
                int o = base + 2 * q * NR;
                v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(packed, o);
                v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(packed, o + L);
                v0.and(0xFFFF0000).reinterpretAsFloats().intoArray(packed, o + NR);
                v1.and(0xFFFF0000).reinterpretAsFloats().intoArray(packed, o + NR + L);
            }
        }
    }

    /**
     * Widens int8 rows [b0, b0 + panels*NR) x columns [k0, k0+kc) to q * scale into panels
     * [p][kc][NR]: each panel's rows are dequantized row-major, then transposed with gathers.
     */
    private static void packInt8(Int8Matrix w, int k0, int kc, int b0, int panels, float[] packed, Scratch s) {
        if (s.int8Rows.length < NR * kc) s.int8Rows = new float[NR * KC];
        float[] rows = s.int8Rows;
        int[] map = s.rowMap;
        for (int j = 0; j < NR; j++) map[j] = j * kc;
        for (int p = 0; p < panels; p++) {
            Int8MatVec.dequantize(w, b0 + p * NR, NR, k0, kc, rows);
            int base = p * kc * NR;
            for (int i = 0; i < kc; i++) {
                FloatVector.fromArray(F, rows, i, map, 0).intoArray(packed, base + i * NR);
                FloatVector.fromArray(F, rows, i, map, L).intoArray(packed, base + i * NR + L);
            }
        }
    }

    private static void packScalar(Tensor w, int k, int k0, int kc, int b0, int panels, float[] packed) {
        float[] row = new float[kc];
        for (int p = 0; p < panels; p++) {
            int base = p * kc * NR;
            for (int j = 0; j < NR; j++) {
                w.copyTo((long) (b0 + p * NR + j) * k + k0, row, 0, kc);
                for (int i = 0; i < kc; i++) packed[base + i * NR + j] = row[i];
            }
        }
    }

    /** Packs a whole weight into f32 panels [n/NR][k][NR] (n a multiple of NR). */
    static float[] packAll(Tensor w) {
        int n = w.rows();
        int k = w.cols();
        float[] out = new float[Math.multiplyExact(n, k)];
        float[] row = new float[k];
        for (int r = 0; r < n; r++) {
            w.copyTo((long) r * k, row, 0, k);
            int base = (r / NR) * k * NR + r % NR;
            for (int i = 0; i < k; i++) out[base + i * NR] = row[i];
        }
        return out;
    }

    /** Adds one k-block of an 8-token group times one panel to y rows [t, t+8), columns [col, col+NR). */
    private static void kernel8(float[] xp, int xOff, int kc, float[] pk, int pOff, float[] y, int n, int t, int col) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51, a60, a61, a70, a71;
        int r0 = t * n + col;
        a00 = FloatVector.fromArray(F, y, r0); a01 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a10 = FloatVector.fromArray(F, y, r0); a11 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a20 = FloatVector.fromArray(F, y, r0); a21 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a30 = FloatVector.fromArray(F, y, r0); a31 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a40 = FloatVector.fromArray(F, y, r0); a41 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a50 = FloatVector.fromArray(F, y, r0); a51 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a60 = FloatVector.fromArray(F, y, r0); a61 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a70 = FloatVector.fromArray(F, y, r0); a71 = FloatVector.fromArray(F, y, r0 + L);
        for (int i = 0; i < kc; i++) {
            int po = pOff + i * NR;
            FloatVector w0 = FloatVector.fromArray(F, pk, po);
            FloatVector w1 = FloatVector.fromArray(F, pk, po + L);
            int xi = xOff + i * 8;
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

    /** Adds one k-block of a 4-token group times one panel to y rows [t, t+4), columns [col, col+NR). */
    private static void kernel4(float[] xp, int xOff, int kc, float[] pk, int pOff, float[] y, int n, int t, int col) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31;
        int r0 = t * n + col;
        a00 = FloatVector.fromArray(F, y, r0); a01 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a10 = FloatVector.fromArray(F, y, r0); a11 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a20 = FloatVector.fromArray(F, y, r0); a21 = FloatVector.fromArray(F, y, r0 + L); r0 += n;
        a30 = FloatVector.fromArray(F, y, r0); a31 = FloatVector.fromArray(F, y, r0 + L);
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
}
