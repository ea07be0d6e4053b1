package io.github.qwenasr.encoder;

/**
 * Whisper-style sinusoidal positions (docs/model.md 3.4): first half sines, second half cosines,
 * inv[i] = exp(-ln(10000)/(half-1) * i), all in float32 like the reference.
 */
final class Sinusoids {
    private Sinusoids() {}

    /** Rows 0..rows-1 of the table, [rows][dim]. */
    static float[] table(int rows, int dim) {
        int half = dim / 2;
        float inc = (float) (Math.log(10000.0) / (half - 1));
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) inv[i] = (float) Math.exp(-(double) (inc * i));
        float[] t = new float[rows * dim];
        for (int p = 0; p < rows; p++) {
            for (int i = 0; i < half; i++) {
                float angle = p * inv[i];
                t[p * dim + i] = (float) Math.sin(angle);
                t[p * dim + half + i] = (float) Math.cos(angle);
            }
        }
        return t;
    }
}
