package io.github.qwenasr.decoder;

import io.github.qwenasr.config.ModelConfig.TextConfig;

/**
 * Scratch arrays for one-position decode steps (MODEL.md 4.2-4.6), allocated once per cache so
 * that a generated token allocates nothing per layer. Belongs to the {@link KvCache} of one
 * decoding session, like the cache itself.
 */
final class StepBuffers {
    final float[] xn;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] attn;
    final float[] proj;
    final float[] gate;
    final float[] up;
    final float[] cos;
    final float[] sin;
    /** Attention probabilities, [heads][positions]; grown with the cache. */
    float[] scores = new float[0];

    StepBuffers(TextConfig cfg) {
        int hd = cfg.headDim();
        int qd = cfg.heads() * hd;
        int kvd = cfg.kvHeads() * hd;
        xn = new float[cfg.hidden()];
        q = new float[qd];
        k = new float[kvd];
        v = new float[kvd];
        attn = new float[qd];
        proj = new float[cfg.hidden()];
        gate = new float[cfg.intermediate()];
        up = new float[cfg.intermediate()];
        cos = new float[hd / 2];
        sin = new float[hd / 2];
    }

    /** Scores for `heads` heads of `positions` positions each. */
    float[] scores(int heads, int positions) {
        if (scores.length < heads * positions) scores = new float[Math.max(heads * positions, scores.length * 2)];
        return scores;
    }
}
