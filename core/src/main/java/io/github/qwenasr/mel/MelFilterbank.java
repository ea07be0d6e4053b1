package io.github.qwenasr.mel;

/**
 * The 128-filter Slaney mel filterbank over 201 FFT bins, 0-8000 Hz (docs/model.md 2.3).
 *
 * <p>Built in float64 with the reference's order of operations and then rounded to float32, as the
 * reference does. Most weights are zero, so each filter keeps only its run of non-zero bins.
 */
public final class MelFilterbank {
    /** FFT bins of a 400-point real DFT. */
    public static final int BINS = 201;
    /** Mel filters. */
    public static final int FILTERS = 128;
    private static final double SAMPLE_RATE = 16000;

    private static final MelFilterbank INSTANCE = new MelFilterbank(weightsFloat64());

    private final int[] firstBin;
    private final float[][] weights;

    private MelFilterbank(double[][] full) {
        firstBin = new int[FILTERS];
        weights = new float[FILTERS][];
        for (int j = 0; j < FILTERS; j++) {
            int lo = 0;
            while (lo < BINS && full[lo][j] == 0) lo++;
            int hi = BINS - 1;
            while (hi >= lo && full[hi][j] == 0) hi--;
            firstBin[j] = lo;
            weights[j] = new float[Math.max(0, hi - lo + 1)];
            for (int k = lo; k <= hi; k++) weights[j][k - lo] = (float) full[k][j];
        }
    }

    /** The shared filterbank. */
    public static MelFilterbank get() {
        return INSTANCE;
    }

    /**
     * Mel energy of one filter: {@code Σ_k W[k][j]·power[k]}, summed in double over the float32
     * weights and rounded once to float (the reference sums the same products in float32).
     */
    public float apply(int filter, float[] power) {
        float[] w = weights[filter];
        int k0 = firstBin[filter];
        double sum = 0;
        for (int i = 0; i < w.length; i++) sum += (double) w[i] * power[k0 + i];
        return (float) sum;
    }

    /** The float32 weights as a [201][128] matrix (bin-major, as the reference stores them). */
    public float[][] matrix() {
        float[][] m = new float[BINS][FILTERS];
        for (int j = 0; j < FILTERS; j++) {
            for (int i = 0; i < weights[j].length; i++) m[firstBin[j] + i][j] = weights[j][i];
        }
        return m;
    }

    /** Slaney mel scale: linear below 1 kHz, logarithmic above. */
    static double hzToMel(double hz) {
        if (hz < 1000.0) return 3.0 * hz / 200.0;
        return 15.0 + Math.log(hz / 1000.0) * (27.0 / Math.log(6.4));
    }

    /** Inverse of {@link #hzToMel}. */
    static double melToHz(double mel) {
        if (mel < 15.0) return 200.0 * mel / 3.0;
        return 1000.0 * Math.exp(Math.log(6.4) / 27.0 * (mel - 15.0));
    }

    /** The 130 filter edge frequencies F[0..129] in Hz: equally spaced mel points mapped back to Hz. */
    public static double[] edgesHz() {
        int n = FILTERS + 2;
        double melMax = hzToMel(SAMPLE_RATE / 2);
        double step = melMax / (n - 1);
        double[] f = new double[n];
        for (int i = 0; i < n; i++) f[i] = melToHz(i == n - 1 ? melMax : i * step);
        return f;
    }

    /** The float64 weights W[k][j] as a [201][128] matrix, before rounding to float32. */
    public static double[][] weightsFloat64() {
        double[] f = edgesHz();
        double[][] w = new double[BINS][FILTERS];
        for (int j = 0; j < FILTERS; j++) {
            double areaNorm = 2.0 / (f[j + 2] - f[j]);
            for (int k = 0; k < BINS; k++) {
                double fk = 40.0 * k; // bin centre: 8000·k/200
                double down = (fk - f[j]) / (f[j + 1] - f[j]);
                double up = (f[j + 2] - fk) / (f[j + 2] - f[j + 1]);
                w[k][j] = Math.max(0.0, Math.min(down, up)) * areaNorm;
            }
        }
        return w;
    }
}
