package io.github.qwenasr.mel;

import io.github.qwenasr.QwenAsrException;

import java.util.stream.IntStream;

/**
 * Whisper log-mel features with 128 filters (docs/model.md 2.2-2.5), matching the float32 reference.
 *
 * <ol>
 *   <li>Reflect-pad 200 samples on each side; frame t covers padded samples [160t, 160t+400).</li>
 *   <li>Multiply by the periodic Hann window of 400 and take the 201-bin power spectrum
 *       ({@link RealFft400}, in double, rounded like the reference's float32 {@code |X|²}).</li>
 *   <li>Mel energies through {@link MelFilterbank}, then {@code log10(max(M, 1e-10))} in float32.</li>
 *   <li>Clamp to (global maximum − 8) over the whole input, then {@code (L + 4) / 4}.</li>
 * </ol>
 * The reference's last STFT frame is dropped, so there are {@code T = floor(N/160)} frames. Frames
 * are independent until the global clamp, so they are computed on several threads.
 */
public final class LogMel {
    public static final int N_MELS = MelFilterbank.FILTERS;
    public static final int N_FFT = RealFft400.N;
    public static final int HOP = 160;
    /** Shortest input: reflect padding of 200 samples needs at least 201 (docs/model.md 2.6). */
    public static final int MIN_SAMPLES = N_FFT / 2 + 1;
    private static final int PAD = N_FFT / 2;
    private static final float LOG_FLOOR = 1e-10f;
    /** Frames below which one thread does all the work. */
    private static final int FRAMES_PER_TASK = 512;
    /** Frames computed between two copies into the output. */
    private static final int BLOCK_FRAMES = 64;
    /** The window as the reference builds it (see {@link #hannWindow()}). */
    private static final float[] WINDOW = hannWindow();

    private LogMel() {
    }

    /**
     * Log-mel features of one input.
     *
     * @param data   {@code 128·frames} values, mel-major: value of filter m at frame t is {@code data[m·frames + t]}
     * @param frames T = floor(N/160)
     */
    public record Features(float[] data, int frames) {
        /** The value of mel filter {@code mel} at frame {@code frame}. */
        public float get(int mel, int frame) {
            return data[mel * frames + frame];
        }
    }

    /** Number of frames for {@code samples} input samples: floor(samples/160). */
    public static int frameCount(long samples) {
        return Math.toIntExact(samples / HOP);
    }

    /** Computes features using all available processors. */
    public static Features compute(float[] samples16k) {
        return compute(samples16k, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Computes features of mono 16 kHz samples on up to {@code threads} threads (the result does not
     * depend on the thread count).
     *
     * @throws QwenAsrException when there are fewer than {@value #MIN_SAMPLES} samples
     */
    public static Features compute(float[] samples16k, int threads) {
        int n = samples16k.length;
        if (n < MIN_SAMPLES) {
            throw new QwenAsrException("audio too short for log-mel features: " + n + " samples; at least "
                    + MIN_SAMPLES + " samples at 16 kHz are needed");
        }
        int frames = frameCount(n);
        if ((long) frames * N_MELS > Integer.MAX_VALUE - 8) {
            throw new QwenAsrException("audio too long for one feature matrix: " + n + " samples");
        }
        float[] data = new float[frames * N_MELS];
        float max = logMelParallel(samples16k, data, frames, Math.max(1, Math.min(threads, frames / FRAMES_PER_TASK)));
        float floor = max - 8f;
        for (int i = 0; i < data.length; i++) data[i] = (Math.max(data[i], floor) + 4f) / 4f;
        return new Features(data, frames);
    }

    /** Fills data with log10 mel energies and returns their maximum; frames are split into equal runs. */
    private static float logMelParallel(float[] x, float[] data, int frames, int threads) {
        if (threads == 1) return logMelFrames(x, data, frames, 0, frames);
        double max = IntStream.range(0, threads).parallel()
                .mapToDouble(t -> logMelFrames(x, data, frames,
                        (int) ((long) frames * t / threads), (int) ((long) frames * (t + 1) / threads)))
                .max().orElseThrow();
        return (float) max;
    }

    /** log10 mel energies of frames [from, to); returns their maximum. */
    private static float logMelFrames(float[] x, float[] data, int frames, int from, int to) {
        MelFilterbank bank = MelFilterbank.get();
        RealFft400 fft = new RealFft400();
        double[] frame = new double[N_FFT];
        float[] power = new float[RealFft400.BINS];
        // A block of frames is gathered mel-major and then copied out row by row, so that the
        // output is written in contiguous runs rather than one value per 128 distant rows.
        float[] block = new float[N_MELS * BLOCK_FRAMES];
        int n = x.length;
        float max = Float.NEGATIVE_INFINITY;
        for (int t0 = from; t0 < to; t0 += BLOCK_FRAMES) {
            int count = Math.min(BLOCK_FRAMES, to - t0);
            for (int b = 0; b < count; b++) {
                int start = (t0 + b) * HOP - PAD;
                if (start >= 0 && start + N_FFT <= n) {
                    for (int i = 0; i < N_FFT; i++) frame[i] = (double) WINDOW[i] * x[start + i];
                } else {
                    for (int i = 0; i < N_FFT; i++) frame[i] = (double) WINDOW[i] * x[reflect(start + i, n)];
                }
                fft.power(frame, power);
                for (int m = 0; m < N_MELS; m++) {
                    float energy = bank.apply(m, power);
                    float log = (float) Math.log10(Math.max(energy, LOG_FLOOR));
                    block[m * BLOCK_FRAMES + b] = log;
                    if (log > max) max = log;
                }
            }
            for (int m = 0; m < N_MELS; m++) System.arraycopy(block, m * BLOCK_FRAMES, data, m * frames + t0, count);
        }
        return max;
    }

    /**
     * Index of padded position {@code i} (relative to sample 0) under reflect padding, which mirrors
     * without repeating the edge sample: −1 → 1, n → n−2.
     */
    static int reflect(int i, int n) {
        if (i < 0) return -i;
        if (i >= n) return 2 * (n - 1) - i;
        return i;
    }

    /**
     * Periodic Hann window of 400, {@code 0.5 − 0.5·cos(n·(2π/400))}, with every step rounded to
     * float32 as torch's {@code hann_window} computes it (agrees with it within one float ulp; the
     * exact double window would move the jfk.wav features about 1e-6 further from the reference).
     */
    static float[] hannWindow() {
        float[] w = new float[N_FFT];
        float step = (float) (2 * Math.PI / N_FFT);
        for (int i = 0; i < N_FFT; i++) {
            float c = (float) Math.cos(i * step);
            w[i] = 0.5f + -0.5f * c;
        }
        return w;
    }
}
