package io.github.qwenasr.kernel;

import io.github.qwenasr.kernel.KernelPaths.Path;

/**
 * Scaled dot-product attention, the one attention kernel of the encoder and the decoder
 * (docs/kernels.md 3.1; what it computes: docs/model.md 3.6, 3.7 and 4.3). Queries and
 * outputs are [n][heads * headDim]; query head h reads kv head h / (heads / kvHeads), so GQA and
 * plain multi-head attention ({@code kvHeads == heads}) are one code. Which keys a query sees is
 * its {@link Mask}: causal over a cache (the decoder) or all of its own window (the encoder).
 *
 * <p>Three ways of computing it, each kept where it was measured fastest, each with fixed
 * arithmetic (the same input gives the same bits whatever the thread count):
 * <ul>
 * <li>one causal position (a decode step): per kv head, the query heads of its group together
 *     ({@link AttentionRows#group}), so each cached key and value is read once per group;</li>
 * <li>many causal positions (a prefill): blocks of {@value #QUERY_BLOCK} positions times the
 *     group's heads as two packed GEMMs over key and value panels packed once per kv head
 *     ({@link AttentionGemm}); where the head size does not suit the panels, the same blocks in
 *     dot form ({@link AttentionRows#rows});</li>
 * <li>windows: per window and head, blocks of rows in dot form ({@link AttentionRows#rows}), which
 *     gives every row the arithmetic of one dot product per key and one axpy per value.</li>
 * </ul>
 * With {@code qwenasr.vector.bits=scalar} ({@link VectorWidth#SCALAR}) every case runs
 * {@link #scalar}, plain loops with double sums.
 */
public final class Attention {
    private Attention() {}

    /**
     * The heads of one attention: {@code heads} query heads, {@code kvHeads} key/value heads (a
     * divisor of heads), {@code headDim} floats each.
     */
    public record Heads(int heads, int kvHeads, int headDim) {
        public Heads {
            if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0) {
                throw new IllegalArgumentException("bad attention heads: " + heads + " query, " + kvHeads + " kv, size " + headDim);
            }
        }

        /** Query heads per kv head. */
        public int group() {
            return heads / kvHeads;
        }

        /** Floats of one position's queries (and outputs). */
        public int width() {
            return heads * headDim;
        }

        /** The score scale 1/sqrt(headDim), rounded to float once. */
        public float scale() {
            return (float) (1.0 / Math.sqrt(headDim));
        }
    }

    /**
     * Which keys query row i (of n) sees. Causal: the query at absolute position {@code first + i}
     * sees keys [0, first + i] (the keys hold earlier positions first). Windows: the query sees every
     * key of its own window of {@code window} rows, [i - i % window, min(n, that + window)), in both
     * directions; keys and queries then come from the same n rows.
     */
    public record Mask(boolean causal, int first, int window) {
        public Mask {
            if (causal ? first < 0 : window < 1) throw new IllegalArgumentException("bad attention mask");
        }

        /** Causal over a cache whose first query is at position {@code first}. */
        public static Mask causal(int first) {
            return new Mask(true, first, 0);
        }

        /** Bidirectional inside windows of {@code window} rows. */
        public static Mask windows(int window) {
            return new Mask(false, 0, window);
        }
    }

    /**
     * Where keys and values are: position p of kv head g starts at {@code p * stride + g * headStep}
     * of {@code keys[g]} and {@code values[g]}.
     */
    public static final class KeyValues {
        private final float[][] keys;
        private final float[][] values;
        private final int stride;
        private final int headStep;

        private KeyValues(float[][] keys, float[][] values, int stride, int headStep) {
            this.keys = keys;
            this.values = values;
            this.stride = stride;
            this.headStep = headStep;
        }

        /** Keys and values as a projection writes them: [position][kvHeads * headDim] in one array each. */
        public static KeyValues rows(float[] keys, float[] values, Heads h) {
            float[][] k = new float[h.kvHeads()][];
            float[][] v = new float[h.kvHeads()][];
            java.util.Arrays.fill(k, keys);
            java.util.Arrays.fill(v, values);
            return new KeyValues(k, v, h.kvHeads() * h.headDim(), h.headDim());
        }

        /**
         * One array per kv head, [position][headDim] (a KV cache). The arrays are read from
         * {@code keys} and {@code values} when the attention runs.
         */
        public static KeyValues perHead(float[][] keys, float[][] values, Heads h) {
            if (keys.length != h.kvHeads() || values.length != h.kvHeads()) {
                throw new IllegalArgumentException("need the keys and values of " + h.kvHeads() + " kv heads");
            }
            return new KeyValues(keys, values, h.headDim(), 0);
        }

        private int offset(int g) {
            return g * headStep;
        }
    }

    /**
     * Scratch reused from call to call by one caller (a decoder's layer buffers, an encoder pass):
     * the decode step's probabilities and the prefill's key and value panels, grown on demand.
     * Not for two attentions at once.
     */
    public static final class Buffers {
        private float[] scores = new float[0];
        private float[][] keyPanels = new float[0][];
        private float[][] valuePanels = new float[0][];

        float[] scores(int size) {
            if (scores.length < size) scores = new float[Math.max(size, scores.length * 2)];
            return scores;
        }

        /** Packs the first t keys and values of kv head g into its panels (grown to fit). */
        void packPanels(int g, KeyValues kv, int t, int hd) {
            int size = AttentionGemm.panelLength(t, hd);
            if (keyPanels[g].length < size) {
                // Room for a quarter more: a chunked prefill packs a longer cache at every chunk.
                keyPanels[g] = new float[size + size / 4];
                valuePanels[g] = new float[size + size / 4];
            }
            AttentionGemm.packKeys(kv.keys[g], kv.stride, kv.offset(g), t, hd, keyPanels[g]);
            AttentionGemm.packValues(kv.values[g], kv.stride, kv.offset(g), t, hd, valuePanels[g]);
        }

        void fitHeads(int kvHeads) {
            if (keyPanels.length < kvHeads) {
                keyPanels = java.util.Arrays.copyOf(keyPanels, kvHeads);
                valuePanels = java.util.Arrays.copyOf(valuePanels, kvHeads);
                for (int g = 0; g < kvHeads; g++) {
                    if (keyPanels[g] == null) {
                        keyPanels[g] = new float[0];
                        valuePanels[g] = new float[0];
                    }
                }
            }
        }
    }

    /** Query positions per prefill task (times the GQA group size gives its rows). */
    static final int QUERY_BLOCK = 16;
    /** Query rows per block of a window: their scores and queries stay in L2 beside the window's keys. */
    static final int WINDOW_ROWS = 32;

    /**
     * out = softmax(q K^T * scale) V for n query positions over every head, on the pool; every
     * query row of out [0, n * heads * headDim) is written.
     *
     * @param q    queries [n][heads * headDim]
     * @param kv   keys and values: for a causal mask the first + n positions of a cache, for
     *             windows the same n rows as the queries
     * @param out  outputs [n][heads * headDim]
     * @param buf  the caller's scratch
     */
    public static void attend(Parallel par, Heads h, float[] q, int n, KeyValues kv, Mask mask, float[] out, Buffers buf) {
        if (n <= 0) return;
        if ((long) n * h.width() > Math.min(q.length, out.length)) {
            throw new IllegalArgumentException("attention: buffers too small for " + n + " positions");
        }
        if (VectorWidth.SCALAR) {
            scalar(par, h, q, n, kv, mask, out);
        } else if (!mask.causal()) {
            windows(par, h, q, n, kv, mask.window(), out);
        } else if (n == 1) {
            step(par, h, q, kv, mask.first(), out, buf);
        } else {
            prefill(par, h, q, n, kv, mask.first(), out, buf);
        }
    }

    /**
     * One decode step for each of b sequences at once (a batched decode step, docs/kernels.md 2.1):
     * sequence j's one query q[j] over kv[j], whose cache holds first[j] earlier positions plus this
     * one. One pool dispatch for all of them, a task per (sequence, kv head), each doing exactly the
     * arithmetic {@link #attend} does for that sequence alone (n = 1), so a sequence's output does not
     * depend on the rest of the batch.
     *
     * @param buf each sequence's own scratch
     */
    public static void stepBatch(Parallel par, Heads h, float[][] q, KeyValues[] kv, int[] first, float[][] out,
                                 Buffers[] buf, int b) {
        if (b <= 0) return;
        if (VectorWidth.SCALAR) {
            for (int j = 0; j < b; j++) scalar(par, h, q[j], 1, kv[j], Mask.causal(first[j]), out[j]);
            return;
        }
        int hd = h.headDim();
        int group = h.group();
        int kvHeads = h.kvHeads();
        float scale = h.scale();
        float[][] scores = new float[b][];
        for (int j = 0; j < b; j++) scores[j] = buf[j].scores(h.heads() * (first[j] + 1));
        assert KernelPaths.ran(Path.ATTENTION_STEP);
        par.forChunks(b * kvHeads, t -> {
            int j = t / kvHeads;
            int g = t % kvHeads;
            int visible = first[j] + 1;
            KeyValues x = kv[j];
            AttentionRows.group(q[j], g * group * hd, group, x.keys[g], x.values[g], x.stride, x.offset(g), hd, visible,
                    scale, scores[j], g * group * visible, out[j], g * group * hd);
        });
    }

    /** One position over a cache of first + 1 keys: one task per kv head. */
    private static void step(Parallel par, Heads h, float[] q, KeyValues kv, int first, float[] out, Buffers buf) {
        int hd = h.headDim();
        int group = h.group();
        int visible = first + 1;
        float scale = h.scale();
        float[] scores = buf.scores(h.heads() * visible);
        assert KernelPaths.ran(Path.ATTENTION_STEP);
        par.forChunks(h.kvHeads(), g -> AttentionRows.group(q, g * group * hd, group, kv.keys[g], kv.values[g], kv.stride,
                kv.offset(g), hd, visible, scale, scores, g * group * visible, out, g * group * hd));
    }

    /**
     * Work items: (kv head, block of query positions). The query heads of the group and the block's
     * positions form the rows of one block, so every key and value row is read once per group x
     * block rows; later blocks see more keys, so blocks stay small.
     */
    private static void prefill(Parallel par, Heads h, float[] q, int n, KeyValues kv, int first, float[] out, Buffers buf) {
        int hd = h.headDim();
        int kvHeads = h.kvHeads();
        int group = h.group();
        int qd = h.width();
        float scale = h.scale();
        int qBlock = Math.min(n, QUERY_BLOCK);
        int qBlocks = (n + qBlock - 1) / qBlock;
        if (AttentionGemm.supports(hd)) {
            // Q K^T and P V as GEMMs over panels packed once per kv head for all blocks.
            int t = first + n;
            assert KernelPaths.ran(Path.ATTENTION_PREFILL_GEMM);
            buf.fitHeads(kvHeads);
            par.forEach(kvHeads, g -> buf.packPanels(g, kv, t, hd));
            par.forEach(kvHeads * qBlocks, task -> {
                int i0 = (task / kvHeads) * qBlock;
                gemmBlock(h, q, out, buf, task % kvHeads, i0, Math.min(qBlock, n - i0), first, t, scale);
            });
        } else {
            assert KernelPaths.ran(Path.ATTENTION_PREFILL_ROWS);
            par.forEach(kvHeads * qBlocks, task -> {
                int g = task % kvHeads;
                int i0 = (task / kvHeads) * qBlock;
                int nq = Math.min(qBlock, n - i0);
                int nr = nq * group;
                int[] offs = new int[nr];
                int[] visible = new int[nr];
                for (int i = 0; i < nq; i++) {
                    for (int j = 0; j < group; j++) {
                        offs[i * group + j] = (i0 + i) * qd + (g * group + j) * hd;
                        visible[i * group + j] = first + i0 + i + 1;
                    }
                }
                float[] scores = BLOCK_SCRATCH.get().fit(0, nr * (first + i0 + nq)).scores;
                AttentionRows.rows(q, offs, nr, kv.keys[g], kv.values[g], kv.stride, kv.offset(g), hd, visible, scale,
                        scores, 0, out, offs);
            });
        }
    }

    /**
     * Query positions [i0, i0 + nq) for the query heads of kv head g against the panels of the
     * first t keys: the group's heads x positions are the rows of two GEMMs (scores, then
     * probabilities x values), each row's scores past its own position set to zero after the
     * softmax. Writes those rows of out.
     */
    private static void gemmBlock(Heads h, float[] q, float[] out, Buffers buf, int g, int i0, int nq, int first, int t,
                                  float scale) {
        int hd = h.headDim();
        int group = h.group();
        int qd = h.width();
        int m = nq * group;
        int width = AttentionGemm.paddedPositions(first + i0 + nq);
        BlockScratch s = BLOCK_SCRATCH.get().fit(m * hd, m * width);
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < group; j++) {
                System.arraycopy(q, (i0 + i) * qd + (g * group + j) * hd, s.q, (i * group + j) * hd, hd);
            }
        }
        float[] p = s.scores;
        AttentionGemm.scores(s.q, m, hd, buf.keyPanels[g], width, p);
        for (int i = 0; i < nq; i++) {
            int visible = first + i0 + i + 1;
            for (int j = 0; j < group; j++) {
                int off = (i * group + j) * width;
                for (int c = off; c < off + visible; c++) p[c] *= scale;
                Ops.softmax(p, off, visible);
                java.util.Arrays.fill(p, off + visible, off + width, 0f);
            }
        }
        AttentionGemm.weightedSum(p, m, width, buf.valuePanels[g], t, hd, s.out);
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < group; j++) {
                System.arraycopy(s.out, (i * group + j) * hd, out, (i0 + i) * qd + (g * group + j) * hd, hd);
            }
        }
    }

    /** Bidirectional windows: one task per (window, kv head), its rows in blocks of {@link #WINDOW_ROWS}. */
    private static void windows(Parallel par, Heads h, float[] q, int n, KeyValues kv, int window, float[] out) {
        int hd = h.headDim();
        int kvHeads = h.kvHeads();
        int group = h.group();
        int qd = h.width();
        float scale = h.scale();
        int windows = (n + window - 1) / window;
        assert KernelPaths.ran(Path.ATTENTION_WINDOWS);
        par.forEach(windows * kvHeads, task -> {
            int g = task % kvHeads;
            int s0 = (task / kvHeads) * window;
            int len = Math.min(window, n - s0);
            int kvOff = s0 * kv.stride + kv.offset(g);
            int rowsPerBlock = Math.min(len, WINDOW_ROWS) * group;
            int[] offs = new int[rowsPerBlock];
            int[] visible = new int[rowsPerBlock];
            java.util.Arrays.fill(visible, len);
            float[] scores = BLOCK_SCRATCH.get().fit(0, rowsPerBlock * len).scores;
            for (int i0 = 0; i0 < len; i0 += WINDOW_ROWS) {
                int nq = Math.min(WINDOW_ROWS, len - i0);
                for (int i = 0; i < nq; i++) {
                    for (int j = 0; j < group; j++) offs[i * group + j] = (s0 + i0 + i) * qd + (g * group + j) * hd;
                }
                AttentionRows.rows(q, offs, nq * group, kv.keys[g], kv.values[g], kv.stride, kvOff, hd, visible, scale,
                        scores, 0, out, offs);
            }
        });
    }

    /**
     * The scalar path: per query row, its scores as double sums rounded once and scaled in float,
     * the softmax of {@link Ops#softmax}, and each output as a double sum of probability x value.
     */
    static void scalar(Parallel par, Heads h, float[] q, int n, KeyValues kv, Mask mask, float[] out) {
        int hd = h.headDim();
        int heads = h.heads();
        int group = h.group();
        int qd = h.width();
        float scale = h.scale();
        assert KernelPaths.ran(Path.ATTENTION_SCALAR);
        par.forEach(n * heads, task -> {
            int i = task / heads;
            int head = task % heads;
            int g = head / group;
            int lo = mask.causal() ? 0 : i - i % mask.window();
            int hi = mask.causal() ? mask.first() + i + 1 : Math.min(n, lo + mask.window());
            float[] keys = kv.keys[g];
            float[] values = kv.values[g];
            int qo = i * qd + head * hd;
            float[] p = new float[hi - lo];
            for (int t = lo; t < hi; t++) {
                int ko = t * kv.stride + kv.offset(g);
                double s = 0;
                for (int d = 0; d < hd; d++) s += (double) q[qo + d] * keys[ko + d];
                p[t - lo] = (float) s * scale;
            }
            Ops.softmax(p, 0, hi - lo);
            double[] acc = new double[hd];
            for (int t = lo; t < hi; t++) {
                int vo = t * kv.stride + kv.offset(g);
                double w = p[t - lo];
                for (int d = 0; d < hd; d++) acc[d] += w * values[vo + d];
            }
            for (int d = 0; d < hd; d++) out[qo + d] = (float) acc[d];
        });
    }

    /**
     * Per-thread scratch of one block: its queries, scores and outputs (the scores of 32 rows of
     * 15,600 positions are about 2 MB, too much to allocate per task).
     */
    private static final class BlockScratch {
        float[] q = new float[0];
        float[] scores = new float[0];
        float[] out = new float[0];

        BlockScratch fit(int rowsTimesHd, int rowsTimesWidth) {
            if (q.length < rowsTimesHd) {
                q = new float[rowsTimesHd];
                out = new float[rowsTimesHd];
            }
            if (scores.length < rowsTimesWidth) scores = new float[Math.max(rowsTimesWidth, scores.length + scores.length / 4)];
            return this;
        }
    }

    private static final ThreadLocal<BlockScratch> BLOCK_SCRATCH = ThreadLocal.withInitial(BlockScratch::new);
}
