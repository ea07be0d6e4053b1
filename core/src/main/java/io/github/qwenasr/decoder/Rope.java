package io.github.qwenasr.decoder;

/**
 * Rotary embedding, rotate-half (NeoX) pairing (i, i+half) (MODEL.md 4.4). The reference's
 * multi-axis MRoPE reduces to this because its three position rows are always equal.
 * inv_freq and the angle p*inv are float32 products as in the reference; sin/cos are evaluated
 * in double and rounded once.
 */
final class Rope {
    private final int headDim;
    private final float[] invFreq;

    Rope(int headDim, double theta) {
        this.headDim = headDim;
        int half = headDim / 2;
        invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float base = (float) Math.pow(theta, exponent);
            invFreq[i] = 1.0f / base;
        }
    }

    /** Rotates `heads` consecutive head vectors starting at off, for position pos. */
    void apply(float[] x, int off, int heads, int pos) {
        int half = headDim / 2;
        float[] cos = new float[half];
        float[] sin = new float[half];
        angles(pos, cos, sin);
        apply(x, off, heads, headDim, cos, sin);
    }

    /** cos and sin of every frequency at position pos (the same for all layers of one position). */
    void angles(int pos, float[] cos, float[] sin) {
        for (int i = 0; i < headDim / 2; i++) {
            float angle = (float) pos * invFreq[i];
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
    }

    /** Rotates `heads` head vectors starting at off with precomputed {@link #angles}. */
    static void apply(float[] x, int off, int heads, int headDim, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int o = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float a = x[o + i];
                float b = x[o + i + half];
                x[o + i] = a * cos[i] - b * sin[i];
                x[o + i + half] = b * cos[i] + a * sin[i];
            }
        }
    }
}
