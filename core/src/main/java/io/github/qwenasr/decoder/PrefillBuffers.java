package io.github.qwenasr.decoder;

import io.github.qwenasr.config.ModelConfig.TextConfig;

/**
 * Scratch arrays for one multi-position pass (prefill) through all decoder layers, allocated once
 * per pass instead of once per layer: a 300 s prompt (3900 rows) would otherwise leave about
 * 220 MB of garbage per layer, and the collector let the heap grow to gigabytes before reclaiming it.
 */
final class PrefillBuffers {
    final float[] xn;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] attn;
    final float[] proj;
    final float[] gate;
    final float[] up;

    PrefillBuffers(TextConfig cfg, int n) {
        int hd = cfg.headDim();
        int qd = cfg.heads() * hd;
        int kvd = cfg.kvHeads() * hd;
        xn = new float[n * cfg.hidden()];
        q = new float[n * qd];
        k = new float[n * kvd];
        v = new float[n * kvd];
        attn = new float[n * qd];
        proj = new float[n * cfg.hidden()];
        gate = new float[n * cfg.intermediate()];
        up = new float[n * cfg.intermediate()];
    }
}
