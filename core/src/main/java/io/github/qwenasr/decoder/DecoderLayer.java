package io.github.qwenasr.decoder;

import static io.github.qwenasr.config.TensorNames.decLayer;

import io.github.qwenasr.config.ModelConfig.TextConfig;
import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;

/**
 * One Qwen3 decoder layer (MODEL.md 4.2-4.5):
 * <pre>
 * h = x + o_proj(attn(RoPE(qnorm(q)), RoPE(knorm(k)), v))   on RMSNorm(x)
 * x = h + down(silu(gate(n)) * up(n))                       n = RMSNorm(h)
 * </pre>
 * GQA: query head h reads kv head h / (heads / kvHeads); causal over the cache.
 */
final class DecoderLayer {
    private final TextConfig cfg;
    private final int layer;
    private final float eps;
    private final float[] inNorm, postNorm, qNorm, kNorm;
    private final Tensor q, k, v, o, gate, up, down;

    DecoderLayer(TextConfig cfg, WeightStore w, int l) {
        this.cfg = cfg;
        this.layer = l;
        this.eps = (float) cfg.rmsNormEps();
        int h = cfg.hidden();
        int qd = cfg.heads() * cfg.headDim();
        int kvd = cfg.kvHeads() * cfg.headDim();
        inNorm = w.require(decLayer(l, "input_layernorm.weight"), h).toFloatArray();
        postNorm = w.require(decLayer(l, "post_attention_layernorm.weight"), h).toFloatArray();
        qNorm = w.require(decLayer(l, "self_attn.q_norm.weight"), cfg.headDim()).toFloatArray();
        kNorm = w.require(decLayer(l, "self_attn.k_norm.weight"), cfg.headDim()).toFloatArray();
        q = w.require(decLayer(l, "self_attn.q_proj.weight"), qd, h);
        k = w.require(decLayer(l, "self_attn.k_proj.weight"), kvd, h);
        v = w.require(decLayer(l, "self_attn.v_proj.weight"), kvd, h);
        o = w.require(decLayer(l, "self_attn.o_proj.weight"), h, qd);
        gate = w.require(decLayer(l, "mlp.gate_proj.weight"), cfg.intermediate(), h);
        up = w.require(decLayer(l, "mlp.up_proj.weight"), cfg.intermediate(), h);
        down = w.require(decLayer(l, "mlp.down_proj.weight"), h, cfg.intermediate());
    }

    /** Runs n new positions (starting at cache.length()) through the layer; x is [n][hidden], updated in place. */
    void forward(Parallel par, float[] x, int n, KvCache cache, Rope rope) {
        int hid = cfg.hidden();
        int hd = cfg.headDim();
        int heads = cfg.heads();
        int kvHeads = cfg.kvHeads();
        int qd = heads * hd;
        int kvd = kvHeads * hd;
        int pos0 = cache.length();

        float[] xn = new float[n * hid];
        Ops.rmsNorm(x, xn, n, hid, inNorm, eps);
        float[] qs = new float[n * qd];
        float[] ks = new float[n * kvd];
        float[] vs = new float[n * kvd];
        MatMul.linear(par, xn, n, q, null, qs);
        MatMul.linear(par, xn, n, k, null, ks);
        MatMul.linear(par, xn, n, v, null, vs);
        Ops.rmsNorm(qs, 0, n * heads, hd, qNorm, eps);
        Ops.rmsNorm(ks, 0, n * kvHeads, hd, kNorm, eps);
        for (int i = 0; i < n; i++) {
            rope.apply(qs, i * qd, heads, pos0 + i);
            rope.apply(ks, i * kvd, kvHeads, pos0 + i);
        }
        cache.append(layer, ks, vs, n);

        float[] kc = cache.keys(layer);
        float[] vc = cache.values(layer);
        float[] attn = new float[n * qd];
        float scale = (float) (1.0 / Math.sqrt(hd));
        int group = heads / kvHeads;
        int total = pos0 + n;
        // Work items: (head, block of queries); later queries see more keys, so blocks stay small.
        int qBlock = n <= 16 ? n : 16;
        int qBlocks = (n + qBlock - 1) / qBlock;
        par.forEach(heads * qBlocks, task -> {
            int h = task % heads;
            int b = task / heads;
            int kvh = h / group;
            float[] scores = new float[total];
            for (int i = b * qBlock; i < Math.min(n, (b + 1) * qBlock); i++) {
                int qo = i * qd + h * hd;
                int visible = pos0 + i + 1;
                for (int t = 0; t < visible; t++) scores[t] = MatMul.dot(qs, qo, kc, t * kvd + kvh * hd, hd) * scale;
                Ops.softmax(scores, 0, visible);
                for (int t = 0; t < visible; t++) MatMul.axpy(scores[t], vc, t * kvd + kvh * hd, attn, qo, hd);
            }
        });
        float[] proj = new float[n * hid];
        MatMul.linear(par, attn, n, o, null, proj);
        Ops.addInPlace(x, proj, n * hid);

        Ops.rmsNorm(x, xn, n, hid, postNorm, eps);
        int inter = cfg.intermediate();
        float[] g = new float[n * inter];
        float[] u = new float[n * inter];
        MatMul.linear(par, xn, n, gate, null, g);
        MatMul.linear(par, xn, n, up, null, u);
        for (int i = 0; i < n * inter; i++) g[i] = Ops.silu(g[i]) * u[i];
        MatMul.linear(par, g, n, down, null, proj);
        Ops.addInPlace(x, proj, n * hid);
    }
}
