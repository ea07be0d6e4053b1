package io.github.qwenasr.decoder;

import static io.github.qwenasr.config.TensorNames.decLayer;

import io.github.qwenasr.config.ModelConfig.TextConfig;
import io.github.qwenasr.kernel.Attention;
import io.github.qwenasr.kernel.Int8Weights;
import io.github.qwenasr.kernel.LinearWeights;
import io.github.qwenasr.kernel.MatVecBatch;
import io.github.qwenasr.kernel.MatVecInput;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.kernel.TensorWeights;
import io.github.qwenasr.weights.Int8Matrix;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;
import java.util.List;
import java.util.Map;

/**
 * One Qwen3 decoder layer (docs/model.md 4.2-4.5):
 * <pre>
 * h = x + o_proj(attn(RoPE(qnorm(q)), RoPE(knorm(k)), v))   on RMSNorm(x)
 * x = h + down(silu(gate(n)) * up(n))                       n = RMSNorm(h)
 * </pre>
 * GQA: query head h reads kv head h / (heads / kvHeads); causal over the cache.
 *
 * <p>The seven linear layers are {@link LinearWeights}: the checkpoint's bf16 tensors, or their int8
 * copies ({@link #withInt8}); the layer's code is the same for both.
 */
final class DecoderLayer {
    private final TextConfig cfg;
    private final int layer;
    private final float eps;
    private final Attention.Heads attentionHeads;
    private final float[] inNorm, postNorm, qNorm, kNorm;
    private final LinearWeights q, k, v, o, gate, up, down;
    /** Rows per work chunk of each one-position mat-vec (about the same bytes per chunk). */
    private final int qkvRows, oRows, mlpRows, downRows;
    /** Chunks of the fused q/k/v mat-vec: q's first, then k's, then v's. */
    private final int qChunks, kvChunks;

    DecoderLayer(TextConfig cfg, WeightStore w, int l) {
        this.cfg = cfg;
        this.layer = l;
        this.eps = (float) cfg.rmsNormEps();
        this.attentionHeads = new Attention.Heads(cfg.heads(), cfg.kvHeads(), cfg.headDim());
        int h = cfg.hidden();
        int qd = cfg.heads() * cfg.headDim();
        int kvd = cfg.kvHeads() * cfg.headDim();
        inNorm = w.require(decLayer(l, "input_layernorm.weight"), h).toFloatArray();
        postNorm = w.require(decLayer(l, "post_attention_layernorm.weight"), h).toFloatArray();
        qNorm = w.require(decLayer(l, "self_attn.q_norm.weight"), cfg.headDim()).toFloatArray();
        kNorm = w.require(decLayer(l, "self_attn.k_norm.weight"), cfg.headDim()).toFloatArray();
        q = new TensorWeights(w.require(decLayer(l, "self_attn.q_proj.weight"), qd, h));
        k = new TensorWeights(w.require(decLayer(l, "self_attn.k_proj.weight"), kvd, h));
        v = new TensorWeights(w.require(decLayer(l, "self_attn.v_proj.weight"), kvd, h));
        o = new TensorWeights(w.require(decLayer(l, "self_attn.o_proj.weight"), h, qd));
        gate = new TensorWeights(w.require(decLayer(l, "mlp.gate_proj.weight"), cfg.intermediate(), h));
        up = new TensorWeights(w.require(decLayer(l, "mlp.up_proj.weight"), cfg.intermediate(), h));
        down = new TensorWeights(w.require(decLayer(l, "mlp.down_proj.weight"), h, cfg.intermediate()));
        qkvRows = q.chunkRows();
        oRows = o.chunkRows();
        mlpRows = Math.max(4, gate.chunkRows() / 2 & ~3);   // a chunk reads gate and up rows
        downRows = down.chunkRows();
        qChunks = chunks(qd, qkvRows);
        kvChunks = chunks(kvd, qkvRows);
    }

    /** This layer with every linear layer found in {@code int8} (by tensor name) replaced by its int8 copy. */
    private DecoderLayer(DecoderLayer from, Map<String, Int8Matrix> int8) {
        this.cfg = from.cfg;
        this.layer = from.layer;
        this.eps = from.eps;
        this.attentionHeads = from.attentionHeads;
        this.inNorm = from.inNorm;
        this.postNorm = from.postNorm;
        this.qNorm = from.qNorm;
        this.kNorm = from.kNorm;
        q = swap(from.q, int8);
        k = swap(from.k, int8);
        v = swap(from.v, int8);
        o = swap(from.o, int8);
        gate = swap(from.gate, int8);
        up = swap(from.up, int8);
        down = swap(from.down, int8);
        qkvRows = q.chunkRows();
        oRows = o.chunkRows();
        mlpRows = Math.max(4, gate.chunkRows() / 2 & ~3);
        downRows = down.chunkRows();
        qChunks = chunks(cfg.heads() * cfg.headDim(), qkvRows);
        kvChunks = chunks(cfg.kvHeads() * cfg.headDim(), qkvRows);
        if (q.int8() != k.int8() || q.int8() != v.int8() || q.int8() != o.int8() || q.int8() != gate.int8()
                || q.int8() != up.int8() || q.int8() != down.int8()) {
            throw new IllegalArgumentException("layer " + layer + ": all seven linear layers must be int8 or none");
        }
    }

    private static LinearWeights swap(LinearWeights w, Map<String, Int8Matrix> int8) {
        Int8Matrix m = int8.get(w.name());
        return m == null ? w : new Int8Weights(m);
    }

    DecoderLayer withInt8(Map<String, Int8Matrix> int8) {
        return new DecoderLayer(this, int8);
    }

    /** The checkpoint tensors of the seven linear layers (those not already replaced). */
    List<Tensor> linearTensors() {
        return java.util.stream.Stream.of(q, k, v, o, gate, up, down)
                .filter(TensorWeights.class::isInstance).map(w -> ((TensorWeights) w).tensor()).toList();
    }

    /** Whether the linear layers are int8 (the step input then carries run sums, not the bf16 order). */
    boolean int8() {
        return q.int8();
    }

    private static int chunks(int rows, int perChunk) {
        return (rows + perChunk - 1) / perChunk;
    }

    /**
     * One new position (a decode step) through the layer, x [hidden] updated in place. The same
     * operations as {@link #forward} with n = 1, but fused into five dispatches (q/k/v, attention,
     * o, gate/up with SiLU, down) over preallocated buffers, with RoPE angles computed once per
     * position by the caller (b.cos, b.sin).
     */
    void forwardOne(Parallel par, float[] x, KvCache cache, LayerBuffers b) {
        int hid = cfg.hidden();
        int hd = cfg.headDim();
        int heads = cfg.heads();
        int kvHeads = cfg.kvHeads();
        int qd = heads * hd;
        int kvd = kvHeads * hd;
        int pos0 = cache.length();

        float[] xn = b.xn;
        Ops.rmsNorm(x, xn, 1, hid, inNorm, eps);
        float[] qs = b.q;
        float[] ks = b.k;
        float[] vs = b.v;
        // One prepared input, set again before each mat-vec dispatch that reads a new vector.
        MatVecInput in = b.input;
        in.set(xn, 0, hid);
        par.forChunks(qChunks + 2 * kvChunks, c -> {
            if (c < qChunks) {
                int s = c * qkvRows;
                q.matVecRows(in, s, Math.min(qd, s + qkvRows), qs, 0);
            } else {
                int j = (c - qChunks) % kvChunks;
                int s = j * qkvRows;
                if (c < qChunks + kvChunks) {
                    k.matVecRows(in, s, Math.min(kvd, s + qkvRows), ks, 0);
                } else {
                    v.matVecRows(in, s, Math.min(kvd, s + qkvRows), vs, 0);
                }
            }
        });
        Ops.rmsNorm(qs, 0, heads, hd, qNorm, eps);
        Ops.rmsNorm(ks, 0, kvHeads, hd, kNorm, eps);
        Rope.apply(qs, 0, heads, hd, b.cos, b.sin, 0);
        Rope.apply(ks, 0, kvHeads, hd, b.cos, b.sin, 0);
        cache.append(layer, ks, vs, 1);

        float[] attn = b.attn;
        Attention.attend(par, attentionHeads, qs, 1, cache.keyValues(layer, attentionHeads), Attention.Mask.causal(pos0), attn, b.attention);

        float[] proj = b.proj;
        in.set(attn, 0, qd);
        par.forChunks(chunks(hid, oRows), c -> {
            int s = c * oRows;
            o.matVecRows(in, s, Math.min(hid, s + oRows), proj, 0);
        });
        Ops.addInPlace(x, proj, hid);

        Ops.rmsNorm(x, xn, 1, hid, postNorm, eps);
        int inter = cfg.intermediate();
        float[] g = b.gate;
        float[] u = b.up;
        in.set(xn, 0, hid);
        par.forChunks(chunks(inter, mlpRows), c -> {
            int s = c * mlpRows;
            int e = Math.min(inter, s + mlpRows);
            gate.matVecRows(in, s, e, g, 0);
            up.matVecRows(in, s, e, u, 0);
            for (int i = s; i < e; i++) g[i] = Ops.silu(g[i]) * u[i];
        });
        in.set(g, 0, inter);
        par.forChunks(chunks(hid, downRows), c -> {
            int s = c * downRows;
            down.matVecRows(in, s, Math.min(hid, s + downRows), proj, 0);
        });
        Ops.addInPlace(x, proj, hid);
    }

    /**
     * One new position of each of b sequences (a batched decode step, docs/kernels.md 2.1) through
     * the layer: row j of x [hidden] is updated in place, appends to caches[j] at that cache's own
     * position, and uses bufs[j] (its RoPE angles already computed) as {@link #forwardOne} uses its
     * buffers. The same five dispatches as {@link #forwardOne}, each weight read once for all rows
     * ({@link MatVecBatch}); attention runs one task per (row, kv head) over the row's own cache.
     * Every row gets exactly the operations {@link #forwardOne} gives it alone, so its results do not
     * depend on the rest of the batch.
     */
    void forwardBatch(Parallel par, float[][] x, KvCache[] caches, LayerBuffers[] bufs, int b) {
        int hid = cfg.hidden();
        int hd = cfg.headDim();
        int heads = cfg.heads();
        int kvHeads = cfg.kvHeads();
        int qd = heads * hd;
        int kvd = kvHeads * hd;
        int inter = cfg.intermediate();

        MatVecInput[] in = new MatVecInput[b];
        float[][] xn = new float[b][];
        float[][] qs = new float[b][];
        float[][] ks = new float[b][];
        float[][] vs = new float[b][];
        float[][] attn = new float[b][];
        float[][] proj = new float[b][];
        float[][] g = new float[b][];
        float[][] u = new float[b][];
        for (int j = 0; j < b; j++) {
            LayerBuffers buf = bufs[j];
            in[j] = buf.input;
            xn[j] = buf.xn;
            qs[j] = buf.q;
            ks[j] = buf.k;
            vs[j] = buf.v;
            attn[j] = buf.attn;
            proj[j] = buf.proj;
            g[j] = buf.gate;
            u[j] = buf.up;
            Ops.rmsNorm(x[j], xn[j], 1, hid, inNorm, eps);
            in[j].set(xn[j], 0, hid);
        }
        par.forChunks(qChunks + 2 * kvChunks, c -> {
            if (c < qChunks) {
                int s = c * qkvRows;
                MatVecBatch.matVecRows(q, in, b, s, Math.min(qd, s + qkvRows), qs, 0);
            } else {
                int j = (c - qChunks) % kvChunks;
                int s = j * qkvRows;
                if (c < qChunks + kvChunks) {
                    MatVecBatch.matVecRows(k, in, b, s, Math.min(kvd, s + qkvRows), ks, 0);
                } else {
                    MatVecBatch.matVecRows(v, in, b, s, Math.min(kvd, s + qkvRows), vs, 0);
                }
            }
        });
        int[] first = new int[b];
        Attention.KeyValues[] kvs = new Attention.KeyValues[b];
        Attention.Buffers[] scratch = new Attention.Buffers[b];
        for (int j = 0; j < b; j++) {
            LayerBuffers buf = bufs[j];
            first[j] = caches[j].length();
            Ops.rmsNorm(qs[j], 0, heads, hd, qNorm, eps);
            Ops.rmsNorm(ks[j], 0, kvHeads, hd, kNorm, eps);
            Rope.apply(qs[j], 0, heads, hd, buf.cos, buf.sin, 0);
            Rope.apply(ks[j], 0, kvHeads, hd, buf.cos, buf.sin, 0);
            caches[j].append(layer, ks[j], vs[j], 1);
            kvs[j] = caches[j].keyValues(layer, attentionHeads);
            scratch[j] = buf.attention;
        }
        Attention.stepBatch(par, attentionHeads, qs, kvs, first, attn, scratch, b);

        for (int j = 0; j < b; j++) in[j].set(attn[j], 0, qd);
        par.forChunks(chunks(hid, oRows), c -> {
            int s = c * oRows;
            MatVecBatch.matVecRows(o, in, b, s, Math.min(hid, s + oRows), proj, 0);
        });
        for (int j = 0; j < b; j++) {
            Ops.addInPlace(x[j], proj[j], hid);
            Ops.rmsNorm(x[j], xn[j], 1, hid, postNorm, eps);
            in[j].set(xn[j], 0, hid);
        }
        par.forChunks(chunks(inter, mlpRows), c -> {
            int s = c * mlpRows;
            int e = Math.min(inter, s + mlpRows);
            MatVecBatch.matVecRows(gate, in, b, s, e, g, 0);
            MatVecBatch.matVecRows(up, in, b, s, e, u, 0);
            for (int j = 0; j < b; j++) {
                float[] gj = g[j];
                float[] uj = u[j];
                for (int i = s; i < e; i++) gj[i] = Ops.silu(gj[i]) * uj[i];
            }
        });
        for (int j = 0; j < b; j++) in[j].set(g[j], 0, inter);
        par.forChunks(chunks(hid, downRows), c -> {
            int s = c * downRows;
            MatVecBatch.matVecRows(down, in, b, s, Math.min(hid, s + downRows), proj, 0);
        });
        for (int j = 0; j < b; j++) Ops.addInPlace(x[j], proj[j], hid);
    }

    /**
     * Runs n new positions (starting at cache.length()) through the layer; x is [n][hidden], updated
     * in place; buf holds the RoPE angles of the n positions.
     */
    void forward(Parallel par, float[] x, int n, KvCache cache, LayerBuffers buf) {
        int hid = cfg.hidden();
        int hd = cfg.headDim();
        int heads = cfg.heads();
        int kvHeads = cfg.kvHeads();
        int qd = heads * hd;
        int kvd = kvHeads * hd;
        int pos0 = cache.length();

        float[] xn = buf.xn;
        Ops.rmsNorm(x, xn, n, hid, inNorm, eps);
        float[] qs = buf.q;
        float[] ks = buf.k;
        float[] vs = buf.v;
        q.linear(par, xn, n, qs);
        k.linear(par, xn, n, ks);
        v.linear(par, xn, n, vs);
        Ops.rmsNorm(qs, 0, n * heads, hd, qNorm, eps);
        Ops.rmsNorm(ks, 0, n * kvHeads, hd, kNorm, eps);
        int half = hd / 2;
        for (int i = 0; i < n; i++) {
            Rope.apply(qs, i * qd, heads, hd, buf.cos, buf.sin, i * half);
            Rope.apply(ks, i * kvd, kvHeads, hd, buf.cos, buf.sin, i * half);
        }
        cache.append(layer, ks, vs, n);

        float[] attn = buf.attn;
        Attention.attend(par, attentionHeads, qs, n, cache.keyValues(layer, attentionHeads), Attention.Mask.causal(pos0), attn, buf.attention);
        float[] proj = buf.proj;
        o.linear(par, attn, n, proj);
        Ops.addInPlace(x, proj, n * hid);

        Ops.rmsNorm(x, xn, n, hid, postNorm, eps);
        int inter = cfg.intermediate();
        float[] g = buf.gate;
        float[] u = buf.up;
        gate.linear(par, xn, n, g);
        up.linear(par, xn, n, u);
        par.forRange(n * inter, 64, (s, e) -> {
            for (int i = s; i < e; i++) g[i] = Ops.silu(g[i]) * u[i];
        });
        down.linear(par, g, n, proj);
        Ops.addInPlace(x, proj, n * hid);
    }
}
