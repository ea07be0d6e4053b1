package io.github.qwenasr.encoder;

import static io.github.qwenasr.config.TensorNames.encLayer;

import io.github.qwenasr.config.ModelConfig.AudioConfig;
import io.github.qwenasr.kernel.Attention;
import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;

/**
 * One pre-norm encoder layer (docs/model.md 3.7):
 * x += out_proj(attn(LN1(x))), x += fc2(GELU(fc1(LN2(x)))), attention bidirectional inside
 * each window of `window` tokens, scale 1/sqrt(head_dim).
 */
final class EncoderLayer {
    private final int d;
    private final int ffn;
    /** Multi-head: as many kv heads as query heads. */
    private final Attention.Heads attentionHeads;
    private final float[] ln1W, ln1B, ln2W, ln2B;
    private final Tensor q, k, v, o, fc1, fc2;
    private final float[] qB, kB, vB, oB, fc1B, fc2B;

    EncoderLayer(AudioConfig cfg, WeightStore w, int i) {
        d = cfg.dModel();
        ffn = cfg.ffnDim();
        attentionHeads = new Attention.Heads(cfg.heads(), cfg.heads(), cfg.headDim());
        ln1W = w.require(encLayer(i, "self_attn_layer_norm.weight"), d).toFloatArray();
        ln1B = w.require(encLayer(i, "self_attn_layer_norm.bias"), d).toFloatArray();
        ln2W = w.require(encLayer(i, "final_layer_norm.weight"), d).toFloatArray();
        ln2B = w.require(encLayer(i, "final_layer_norm.bias"), d).toFloatArray();
        q = w.require(encLayer(i, "self_attn.q_proj.weight"), d, d);
        k = w.require(encLayer(i, "self_attn.k_proj.weight"), d, d);
        v = w.require(encLayer(i, "self_attn.v_proj.weight"), d, d);
        o = w.require(encLayer(i, "self_attn.out_proj.weight"), d, d);
        qB = w.require(encLayer(i, "self_attn.q_proj.bias"), d).toFloatArray();
        kB = w.require(encLayer(i, "self_attn.k_proj.bias"), d).toFloatArray();
        vB = w.require(encLayer(i, "self_attn.v_proj.bias"), d).toFloatArray();
        oB = w.require(encLayer(i, "self_attn.out_proj.bias"), d).toFloatArray();
        fc1 = w.require(encLayer(i, "fc1.weight"), ffn, d);
        fc1B = w.require(encLayer(i, "fc1.bias"), ffn).toFloatArray();
        fc2 = w.require(encLayer(i, "fc2.weight"), d, ffn);
        fc2B = w.require(encLayer(i, "fc2.bias"), d).toFloatArray();
    }

    /**
     * Scratch arrays for one encoder pass over n rows, shared by all layers so a long input does
     * not leave several hundred megabytes of garbage per layer.
     */
    static final class Scratch {
        final float[] y, q, k, v, hidden;
        final Attention.Buffers attention = new Attention.Buffers();

        Scratch(int n, int d, int ffn) {
            y = new float[n * d];
            q = new float[n * d];
            k = new float[n * d];
            v = new float[n * d];
            hidden = new float[n * ffn];
        }
    }

    Scratch scratch(int n) {
        return new Scratch(n, d, ffn);
    }

    void forward(Parallel par, float[] x, int n, int window, Scratch s) {
        float[] y = s.y;
        Ops.layerNorm(x, n, d, ln1W, ln1B, 1e-5f, y);
        float[] qs = s.q;
        float[] ks = s.k;
        float[] vs = s.v;
        MatMul.linear(par, y, n, q, qB, qs);
        MatMul.linear(par, y, n, k, kB, ks);
        MatMul.linear(par, y, n, v, vB, vs);
        float[] attn = y; // LN output no longer needed
        Attention.attend(par, attentionHeads, qs, n, Attention.KeyValues.rows(ks, vs, attentionHeads), Attention.Mask.windows(window),
                attn, s.attention);
        float[] proj = qs; // reuse
        MatMul.linear(par, attn, n, o, oB, proj);
        Ops.addInPlace(x, proj, n * d);
        Ops.layerNorm(x, n, d, ln2W, ln2B, 1e-5f, y);
        float[] hidden = s.hidden;
        MatMul.linear(par, y, n, fc1, fc1B, hidden);
        Ops.gelu(par, hidden, n * ffn);
        MatMul.linear(par, hidden, n, fc2, fc2B, proj);
        Ops.addInPlace(x, proj, n * d);
    }
}
