package io.github.qwenasr.decoder;

import io.github.qwenasr.config.ModelConfig.TextConfig;
import io.github.qwenasr.kernel.Attention;
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
    /** The attention kernel's scratch (decode probabilities, prefill key and value panels). */
    final Attention.Buffers attention = new Attention.Buffers();

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
    }
}
