package io.github.qwenasr.decoder;

/**
 * Rotary embedding, rotate-half (NeoX) pairing (i, i+half) (docs/model.md 4.4). The reference's
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

    /**
     * cos and sin of every frequency at positions [pos0, pos0 + rows), row r at r * headDim / 2:
     * the same for all layers, so a pass computes them once instead of once per layer.
     */
    void angles(int pos0, int rows, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int r = 0; r < rows; r++) {
            float pos = (float) (pos0 + r);
            for (int i = 0; i < half; i++) {
                float angle = pos * invFreq[i];
                cos[r * half + i] = (float) Math.cos(angle);
                sin[r * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates `heads` head vectors starting at off with the {@link #angles} at angleOff. */
    static void apply(float[] x, int off, int heads, int headDim, float[] cos, float[] sin, int angleOff) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int o = off + h * headDim;
            for (int i = 0; i < half; i++) {
                float a = x[o + i];
                float b = x[o + i + half];
                float c = cos[angleOff + i];
                float sn = sin[angleOff + i];
                x[o + i] = a * c - b * sn;
                x[o + i + half] = b * c + a * sn;
            }
        }
    }
}
