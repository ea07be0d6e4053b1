package io.github.qwenasr.audio;

import io.github.qwenasr.kernel.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kaiser-windowed sinc low-pass behind {@link Resampler} and {@link StreamingResampler}
 * (docs/model.md 2.1 step 3), laid out as a polyphase coefficient table.
 *
 * <p>With the rate ratio reduced to {@code up/down}, output sample {@code i} sits at input position
 * {@code s = i·down/up}: its integer part {@code base} picks the input window and its fractional part
 * {@code phase/up} picks a row of coefficients. Rows hold {@code 2·halfTaps} taps for inputs
 * {@code base-halfTaps+1 … base+halfTaps}, zero-padded to {@link #stride} so the dot product runs on
 * whole vectors. When {@code up} is small (every common rate: 44.1k→16k is 160/441) there is one
 * exact row per phase; otherwise rows are tabulated at {@link #SUB_PHASES} fractional positions and
 * linearly interpolated. Every row sums to 1, so the DC gain is 1.
 *
 * <p>Every output sample is computed by the same code from the same inputs whichever way the
 * caller supplies them, so the one-shot and the streaming resampler agree bit for bit.
 */
final class PolyphaseFilter {
    /**
     * Filter half-width in zero crossings of the sinc, i.e. in samples at the lower of the two rates.
     * 64 (rather than 32) narrows the transition band to about 0.7 kHz at 16 kHz, like soxr's "HQ"
     * filter that the reference uses.
     */
    static final int ZERO_CROSSINGS = 64;
    /** Kaiser shape parameter: about 90 dB stop-band attenuation. */
    static final double KAISER_BETA = 9.0;
    /**
     * Cut-off (the −6 dB point) as a fraction of the lower Nyquist frequency. With the width above,
     * 0.96 keeps aliasing out (stop band from about 8.04 kHz) and matched librosa/soxr_hq best:
     * 44.1 kHz speech resampled both ways differed by −103 dB.
     */
    static final double CUTOFF = 0.96;
    /** Fractional positions tabulated when there are too many phases for an exact table. */
    static final int SUB_PHASES = 1024;
    /** Largest exact table, in floats (4 MiB); rates like 44101 Hz (16000 phases) go beyond it. */
    private static final int MAX_EXACT_TABLE = 1 << 20;

    private static final VectorSpecies<Float> SPECIES = VectorWidth.FLOAT;
    private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

    final int up;
    final int down;
    final int halfTaps;
    /** Row length: 2·halfTaps rounded up to whole vectors; the extra taps are 0. */
    final int stride;
    private final boolean exact;
    private final float[] table;

    private PolyphaseFilter(int rateIn, int rateOut) {
        int g = gcd(rateIn, rateOut);
        up = rateOut / g;
        down = rateIn / g;
        double ratio = Math.min(1.0, (double) up / down); // lower rate / input rate
        double cutoff = CUTOFF * ratio;                    // in cycles per input sample ×2 (Nyquist = 1)
        double halfWidth = ZERO_CROSSINGS / ratio;         // in input samples
        halfTaps = (int) Math.ceil(halfWidth);
        int lanes = SPECIES.length();
        stride = (2 * halfTaps + lanes - 1) / lanes * lanes;
        exact = (long) up * stride <= MAX_EXACT_TABLE;
        int rows = exact ? up : SUB_PHASES + 1;
        table = new float[rows * stride];
        double i0Beta = besselI0(KAISER_BETA);
        double[] row = new double[2 * halfTaps];
        for (int r = 0; r < rows; r++) {
            double frac = exact ? (double) r / up : (double) r / SUB_PHASES;
            double sum = 0;
            for (int t = 0; t < row.length; t++) {
                double d = t - halfTaps + 1 - frac; // input index minus output position
                double x = d / halfWidth;
                double w = Math.abs(x) < 1 ? besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / i0Beta : 0;
                row[t] = cutoff * sinc(cutoff * d) * w;
                sum += row[t];
            }
            writeNormalisedRow(row, sum, table, r * stride);
        }
    }

    /** The filter for a pair of rates, built once and shared (instances are immutable). */
    static PolyphaseFilter of(int rateIn, int rateOut) {
        return CACHE.computeIfAbsent(((long) rateIn << 32) | rateOut, k -> new PolyphaseFilter(rateIn, rateOut));
    }

    /** Number of output samples for {@code inputs} input samples: floor(inputs·up/down). */
    long outputLength(long inputs) {
        // Split inputs = q·down + r so that no product can overflow.
        return inputs / down * up + inputs % down * up / down;
    }

    /** Integer part of the input position of output {@code i}: floor(i·down/up). */
    long base(long i) {
        return i / up * down + i % up * down / up;
    }

    /** Global index of the first input sample (coefficient 0) of output {@code i}. */
    long firstInput(long i) {
        return base(i) - halfTaps + 1;
    }

    /** Number of leading outputs whose whole row lies below input index {@code available}. */
    long outputsReadyBelow(long available) {
        long x = available + halfTaps - stride; // outputs with base(i) < x are ready
        if (x <= 0) return 0;
        // count of i with i·down < x·up, i.e. ceil(x·up/down)
        long q = x / down;
        long r = x % down;
        return q * up + (r * up + down - 1) / down;
    }

    /**
     * Computes outputs {@code i0 … i1-1} into {@code out[outPos…]}. {@code src[j - srcStart]} must
     * hold input {@code j} for every {@code j} in {@code [firstInput(i), firstInput(i) + stride)}.
     */
    void run(long i0, long i1, float[] src, long srcStart, float[] out, int outPos) {
        long base = base(i0);
        int phase = (int) (i0 % up * down % up);
        int baseStep = down / up;
        int phaseStep = down % up;
        float[] interpolated = exact ? null : new float[stride];
        float[] lanes = new float[SPECIES.length()];
        for (long i = i0; i < i1; i++) {
            int s = (int) (base - halfTaps + 1 - srcStart);
            float v;
            if (exact) {
                v = dot(table, phase * stride, src, s, stride, lanes);
            } else {
                interpolateRow((double) phase / up, interpolated);
                v = dot(interpolated, 0, src, s, stride, lanes);
            }
            out[outPos++] = v;
            phase += phaseStep;
            base += baseStep;
            if (phase >= up) {
                phase -= up;
                base++;
            }
        }
    }

    private void interpolateRow(double frac, float[] dst) {
        double pos = frac * SUB_PHASES;
        int r = Math.min((int) pos, SUB_PHASES - 1);
        float a = (float) (pos - r);
        float b = 1f - a;
        int o0 = r * stride;
        int o1 = o0 + stride;
        for (int t = 0; t < stride; t++) dst[t] = b * table[o0 + t] + a * table[o1 + t];
    }

    /**
     * Dot product of n floats (a multiple of the vector length); four accumulators hide the FMA
     * latency. The lanes are summed in a fixed order through {@code laneSums} (scratch): the Vector
     * API leaves the order of reduceLanes open, and interpreted and compiled code do differ, which
     * would make the same sample depend on how warm the JIT was.
     */
    private static float dot(float[] coef, int c, float[] src, int s, int n, float[] laneSums) {
        int lanes = SPECIES.length();
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        FloatVector acc2 = FloatVector.zero(SPECIES);
        FloatVector acc3 = FloatVector.zero(SPECIES);
        int k = 0;
        for (; k + 4 * lanes <= n; k += 4 * lanes) {
            acc0 = FloatVector.fromArray(SPECIES, coef, c + k).fma(FloatVector.fromArray(SPECIES, src, s + k), acc0);
            acc1 = FloatVector.fromArray(SPECIES, coef, c + k + lanes)
                    .fma(FloatVector.fromArray(SPECIES, src, s + k + lanes), acc1);
            acc2 = FloatVector.fromArray(SPECIES, coef, c + k + 2 * lanes)
                    .fma(FloatVector.fromArray(SPECIES, src, s + k + 2 * lanes), acc2);
            acc3 = FloatVector.fromArray(SPECIES, coef, c + k + 3 * lanes)
                    .fma(FloatVector.fromArray(SPECIES, src, s + k + 3 * lanes), acc3);
        }
        for (; k < n; k += lanes) {
            acc0 = FloatVector.fromArray(SPECIES, coef, c + k).fma(FloatVector.fromArray(SPECIES, src, s + k), acc0);
        }
        acc0.add(acc1).add(acc2.add(acc3)).intoArray(laneSums, 0);
        float sum = laneSums[0];
        for (int i = 1; i < laneSums.length; i++) sum += laneSums[i];
        return sum;
    }

    /**
     * Scales a row to unit sum, rounds it to float and moves the rounding residue onto the largest
     * tap so that the float taps themselves sum to 1 (exact DC gain).
     */
    private static void writeNormalisedRow(double[] row, double sum, float[] dst, int offset) {
        int peak = 0;
        double floatSum = 0;
        for (int t = 0; t < row.length; t++) {
            float c = (float) (row[t] / sum);
            dst[offset + t] = c;
            floatSum += c;
            if (Math.abs(c) > Math.abs(dst[offset + peak])) peak = t;
        }
        dst[offset + peak] = (float) (dst[offset + peak] + (1.0 - floatSum));
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) return 1.0;
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double q = x * x / 4;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
