package io.github.qwenasr.decoder;

import io.github.qwenasr.config.ModelConfig.TextConfig;
import io.github.qwenasr.kernel.AttentionGemm;
import io.github.qwenasr.kernel.MatVecInput;

/**
 * Scratch arrays for one pass of {@code rows} positions through every decoder layer
 * (docs/model.md 4.2-4.6), shared by the layers instead of allocated per layer. Decode steps (one row) keep theirs
 * in the {@link KvCache} of their session, so a generated token allocates nothing per layer; a
 * prefill allocates one set per pass (a 300 s prompt would otherwise leave about 220 MB of garbage
 * per layer).
 */
final class LayerBuffers {
    final float[] xn;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] attn;
    final float[] proj;
    final float[] gate;
    final float[] up;
    /** RoPE angles of every row of the pass, [rows][headDim / 2] ({@link Rope#angles}). */
    final float[] cos;
    final float[] sin;
    /** The vector of the current decode-step mat-vec, prepared for the layers' kind of weights. */
    final MatVecInput input;
    /** Whether input is prepared for int8 weights. */
    final boolean int8;
    /** Attention probabilities, [heads][positions]; grown with the cache. */
    float[] scores = new float[0];
    /** Prefill attention: key and value panels of each kv head ({@link AttentionGemm}), grown on demand. */
    final float[][] keyPanels;
    final float[][] valuePanels;

    /** Buffers for passes of `rows` positions through layers with bf16 or (`int8`) int8 linear weights. */
    LayerBuffers(TextConfig cfg, int rows, boolean int8) {
        int hd = cfg.headDim();
        int qd = cfg.heads() * hd;
        int kvd = cfg.kvHeads() * hd;
        xn = new float[rows * cfg.hidden()];
        q = new float[rows * qd];
        k = new float[rows * kvd];
        v = new float[rows * kvd];
        attn = new float[rows * qd];
        proj = new float[rows * cfg.hidden()];
        gate = new float[rows * cfg.intermediate()];
        up = new float[rows * cfg.intermediate()];
        cos = new float[rows * hd / 2];
        sin = new float[rows * hd / 2];
        input = new MatVecInput(Math.max(Math.max(cfg.hidden(), qd), cfg.intermediate()), !int8, int8);
        this.int8 = int8;
        keyPanels = new float[cfg.kvHeads()][0];
        valuePanels = new float[cfg.kvHeads()][0];
    }

    /** Packs the first t cached keys and values of one kv head into its panels (grown to fit). */
    void packPanels(int kvHead, float[] keys, float[] values, int t, int headDim) {
        int size = AttentionGemm.panelLength(t, headDim);
        if (keyPanels[kvHead].length < size) {
            // Room for a quarter more: a chunked prefill packs a longer cache at every chunk.
            keyPanels[kvHead] = new float[size + size / 4];
            valuePanels[kvHead] = new float[size + size / 4];
        }
        AttentionGemm.packKeys(keys, t, headDim, keyPanels[kvHead]);
        AttentionGemm.packValues(values, t, headDim, valuePanels[kvHead]);
    }

    /** Scores for `heads` heads of `positions` positions each. */
    float[] scores(int heads, int positions) {
        if (scores.length < heads * positions) scores = new float[Math.max(heads * positions, scores.length * 2)];
        return scores;
    }
}
