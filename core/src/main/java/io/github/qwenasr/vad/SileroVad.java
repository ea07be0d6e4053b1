package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.kernel.InputMajorMatVec;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Silero VAD v6 (16 kHz) in pure Java: one speech probability per 32 ms frame of 512 samples, with
 * the network's recurrent state carried from frame to frame. It gives the probabilities of the
 * silero-vad package's reference model (6.2.3) within 1e-4; the weights ship with the engine
 * (MIT license, see the notice beside them).
 *
 * <p>Per frame, as the package's model computes it: the last 64 samples of the previous frame
 * (zeros at the start) go before the frame, 64 samples are added at the end by reflection, a
 * convolution with 258 fixed basis rows (window 256, hop 128: 4 steps) gives the real and
 * imaginary parts of 129 frequency bins, whose magnitudes go through four convolutions of width 3
 * with padding 1 and ReLU (129 -> 128 -> 64 -> 64 -> 128 channels, strides 1, 2, 2, 1: 4 -> 1
 * steps), then an LSTM cell of 128 units, ReLU, a 1x1 convolution and a sigmoid.
 *
 * <p>An instance holds the state of one stream and is not thread-safe; the weights are shared.
 * About 0.7 million multiply-adds per frame.
 */
public final class SileroVad implements VoiceActivityDetector {
    /** 32 ms at 16 kHz. */
    public static final int FRAME_SAMPLES = 512;
    /** Samples of the previous frame the network sees before each frame. */
    public static final int CONTEXT_SAMPLES = 64;

    private static final int WINDOW = SileroWeights.WINDOW;
    private static final int HOP = 128;
    private static final int PADDED = CONTEXT_SAMPLES + FRAME_SAMPLES + 64;
    private static final int STEPS = (PADDED - WINDOW) / HOP + 1;
    private static final int BINS = SileroWeights.FFT_BINS;
    private static final int HIDDEN = SileroWeights.HIDDEN;

    private final SileroWeights w;
    private final InputMajorMatVec matVec;

    // Stream state.
    private final float[] context = new float[CONTEXT_SAMPLES];
    private final float[] h = new float[HIDDEN];
    private final float[] c = new float[HIDDEN];

    // Scratch, reused every frame. Activations are step-major: [step][channel].
    private final float[] x = new float[PADDED];
    private final float[] spectrum = new float[STEPS * 2 * BINS];
    private final float[][] activations = new float[5][];
    private final int[] steps = new int[5];
    private final float[] columns;
    private final float[] inputAndHidden = new float[2 * HIDDEN];
    private final float[] gates = new float[4 * HIDDEN];
    private final float[] logit = new float[1];

    SileroVad(SileroWeights weights, InputMajorMatVec matVec) {
        this.w = weights;
        this.matVec = matVec;
        steps[0] = STEPS;
        activations[0] = new float[STEPS * BINS];
        int maxColumns = 0;
        for (int i = 0; i < 4; i++) {
            int in = SileroWeights.CONV_SHAPES[i][0];
            int out = SileroWeights.CONV_SHAPES[i][1];
            steps[i + 1] = (steps[i] + 2 - 3) / stride(i) + 1;
            activations[i + 1] = new float[steps[i + 1] * out];
            maxColumns = Math.max(maxColumns, steps[i + 1] * in * 3);
        }
        if (steps[4] != 1) throw new IllegalStateException("encoder must end in one step, got " + steps[4]);
        columns = new float[maxColumns];
    }

    /** A detector with the bundled weights (read from the classpath once per process). */
    public static SileroVad load() {
        return new SileroVad(SileroWeights.bundled(), InputMajorMatVec.forWidth());
    }

    /**
     * A detector with weights from a safetensors file laid out as the silero-vad package's
     * {@code silero_vad_16k.safetensors} (same tensor names and shapes).
     *
     * @throws QwenAsrException when the file cannot be read or is not such a model
     */
    public static SileroVad load(Path weights) {
        return new SileroVad(SileroWeights.fromFile(weights), InputMajorMatVec.forWidth());
    }

    private static int stride(int conv) {
        return conv == 1 || conv == 2 ? 2 : 1;
    }

    @Override
    public int frameSamples() {
        return FRAME_SAMPLES;
    }

    @Override
    public void reset() {
        Arrays.fill(context, 0f);
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
    }

    @Override
    public SpeechSegmenter newSegmenter() {
        return new SpeechSegmenter(SpeechSegmenter.Options.DEFAULTS);
    }

    @Override
    public float speechProbability(float[] frame) {
        if (frame.length != FRAME_SAMPLES) {
            throw new QwenAsrException("Silero VAD takes frames of " + FRAME_SAMPLES + " samples (32 ms at 16 kHz), got " + frame.length);
        }
        for (float v : frame) {
            if (!Float.isFinite(v)) throw new QwenAsrException("audio contains NaN or infinite samples");
        }
        int n = CONTEXT_SAMPLES + FRAME_SAMPLES;
        System.arraycopy(context, 0, x, 0, CONTEXT_SAMPLES);
        System.arraycopy(frame, 0, x, CONTEXT_SAMPLES, FRAME_SAMPLES);
        for (int j = 0; j < PADDED - n; j++) x[n + j] = x[n - 2 - j]; // reflection, edge sample not repeated
        System.arraycopy(x, n - CONTEXT_SAMPLES, context, 0, CONTEXT_SAMPLES);

        magnitudes(activations[0]);
        for (int i = 0; i < 4; i++) {
            conv(i, activations[i], steps[i], activations[i + 1], steps[i + 1]);
        }
        lstm(activations[4]);
        for (int j = 0; j < HIDDEN; j++) inputAndHidden[j] = Math.max(h[j], 0f);
        matVec.run(w.last, HIDDEN, 1, inputAndHidden, 0, w.lastBias, logit, 0);
        return sigmoid(logit[0]);
    }

    /** |STFT| of the padded input: out[step * BINS + bin]. */
    private void magnitudes(float[] out) {
        for (int t = 0; t < STEPS; t++) {
            matVec.run(w.stft, WINDOW, 2 * BINS, x, t * HOP, w.stftBias, spectrum, t * 2 * BINS);
            for (int f = 0; f < BINS; f++) {
                float re = spectrum[t * 2 * BINS + f];
                float im = spectrum[t * 2 * BINS + BINS + f];
                out[t * BINS + f] = (float) Math.sqrt(re * re + im * im);
            }
        }
    }

    /** Convolution i (width 3, padding 1) + bias + ReLU, through one column per output step. */
    private void conv(int i, float[] in, int stepsIn, float[] out, int stepsOut) {
        int channelsIn = SileroWeights.CONV_SHAPES[i][0];
        int channelsOut = SileroWeights.CONV_SHAPES[i][1];
        int stride = stride(i);
        int k = channelsIn * 3;
        for (int t = 0; t < stepsOut; t++) {
            for (int ch = 0; ch < channelsIn; ch++) {
                for (int tap = 0; tap < 3; tap++) {
                    int pos = t * stride + tap - 1;
                    columns[t * k + ch * 3 + tap] = pos >= 0 && pos < stepsIn ? in[pos * channelsIn + ch] : 0f;
                }
            }
            matVec.run(w.conv[i], k, channelsOut, columns, t * k, w.convBias[i], out, t * channelsOut);
        }
        for (int j = 0; j < stepsOut * channelsOut; j++) out[j] = out[j] > 0f ? out[j] : 0f;
    }

    /** One LSTM cell step (gates i, f, g, o) updating h and c. */
    private void lstm(float[] input) {
        System.arraycopy(input, 0, inputAndHidden, 0, HIDDEN);
        System.arraycopy(h, 0, inputAndHidden, HIDDEN, HIDDEN);
        matVec.run(w.lstm, 2 * HIDDEN, 4 * HIDDEN, inputAndHidden, 0, w.lstmBias, gates, 0);
        for (int j = 0; j < HIDDEN; j++) {
            float in = sigmoid(gates[j]);
            float forget = sigmoid(gates[HIDDEN + j]);
            float cell = (float) Math.tanh(gates[2 * HIDDEN + j]);
            float out = sigmoid(gates[3 * HIDDEN + j]);
            c[j] = forget * c[j] + in * cell;
            h[j] = out * (float) Math.tanh(c[j]);
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }
}
