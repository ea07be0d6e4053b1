package io.github.qwenasr.vad;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.weights.SafetensorsFile;
import io.github.qwenasr.weights.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The Silero VAD v6 16 kHz network's weights, read from a safetensors file with the tensor names
 * and shapes of the silero-vad package's {@code silero_vad_16k.safetensors}: the STFT basis
 * [258][1][256] (129 real rows, then 129 imaginary ones), convolutions [out][in][3], the LSTM
 * cell's input and hidden weights [512][128] (gates i, f, g, o) with their biases, the final 1x1
 * convolution [1][128][1]. Each matrix is kept transposed for {@link io.github.qwenasr.kernel.InputMajorMatVec} (input-major,
 * {@code [in][out]}). Immutable once built and shared by every {@link SileroVad}; the arrays never
 * leave the package.
 */
final class SileroWeights {
    /** Classpath location of the bundled weights (next to their license notice). */
    static final String RESOURCE = "silero_vad_16k.safetensors";

    static final int WINDOW = 256;
    static final int FFT_BINS = 129;
    static final int HIDDEN = 128;
    /** Input and output channels of conv1..conv4. */
    static final int[][] CONV_SHAPES = {{FFT_BINS, 128}, {128, 64}, {64, 64}, {64, HIDDEN}};

    /** [256][258]: sample i of the window times basis row r. */
    final float[] stft;
    /** No bias on the STFT. */
    final float[] stftBias = new float[2 * FFT_BINS];
    /** Per conv: [in * 3 + tap][out]. */
    final float[][] conv = new float[4][];
    final float[][] convBias = new float[4][];
    /** [256][512]: the 128 inputs, then the 128 hidden units, against the gate rows. */
    final float[] lstm;
    /** bias_ih + bias_hh per gate row. */
    final float[] lstmBias;
    /** [128][1]. */
    final float[] last;
    final float[] lastBias;

    private SileroWeights(String source, Map<String, Tensor> t) {
        stft = transpose(read(source, t, "stft_conv.weight", 2 * FFT_BINS, 1, WINDOW), 2 * FFT_BINS, WINDOW);
        for (int i = 0; i < 4; i++) {
            int in = CONV_SHAPES[i][0];
            int out = CONV_SHAPES[i][1];
            conv[i] = transpose(read(source, t, "conv" + (i + 1) + ".weight", out, in, 3), out, in * 3);
            convBias[i] = read(source, t, "conv" + (i + 1) + ".bias", out);
        }
        float[] wih = read(source, t, "lstm_cell.weight_ih", 4 * HIDDEN, HIDDEN);
        float[] whh = read(source, t, "lstm_cell.weight_hh", 4 * HIDDEN, HIDDEN);
        float[] bih = read(source, t, "lstm_cell.bias_ih", 4 * HIDDEN);
        float[] bhh = read(source, t, "lstm_cell.bias_hh", 4 * HIDDEN);
        lstm = new float[2 * HIDDEN * 4 * HIDDEN];
        lstmBias = new float[4 * HIDDEN];
        for (int g = 0; g < 4 * HIDDEN; g++) {
            for (int j = 0; j < HIDDEN; j++) {
                lstm[j * 4 * HIDDEN + g] = wih[g * HIDDEN + j];
                lstm[(HIDDEN + j) * 4 * HIDDEN + g] = whh[g * HIDDEN + j];
            }
            lstmBias[g] = bih[g] + bhh[g];
        }
        last = read(source, t, "final_conv.weight", 1, HIDDEN, 1);
        lastBias = read(source, t, "final_conv.bias", 1);
    }

    /** [rows][cols] to [cols][rows]. */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] out = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
        }
        return out;
    }

    private static float[] read(String source, Map<String, Tensor> tensors, String name, long... shape) {
        Tensor t = tensors.get(name);
        if (t == null) throw new QwenAsrException("not a Silero VAD 16 kHz model: " + source + " has no tensor " + name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new QwenAsrException("not a Silero VAD 16 kHz model: " + source + " has " + name + " of shape "
                    + t.shapeString() + ", expected " + Arrays.toString(shape));
        }
        return t.toFloatArray();
    }

    private static SileroWeights bundled;

    /** The bundled weights, read on first use (a failure is reported again on the next call). */
    static synchronized SileroWeights bundled() {
        if (bundled == null) {
            try (InputStream in = SileroWeights.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new QwenAsrException("the Silero VAD weights are missing from the classpath ("
                            + SileroWeights.class.getPackageName().replace('.', '/') + "/" + RESOURCE + ")");
                }
                bundled = fromBytes(RESOURCE, in.readAllBytes());
            } catch (IOException e) {
                throw new QwenAsrException("cannot read the bundled Silero VAD weights: " + e.getMessage(), e);
            }
        }
        return bundled;
    }

    /** Weights from safetensors bytes; {@code name} labels errors. */
    static SileroWeights fromBytes(String name, byte[] bytes) {
        return new SileroWeights(name, SafetensorsFile.parse(name, MemorySegment.ofArray(bytes)));
    }

    /** Weights from a safetensors file of the same layout. */
    static SileroWeights fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new QwenAsrException("cannot read Silero VAD weights " + file + ": " + e.getMessage(), e);
        }
        return fromBytes(file.getFileName().toString(), bytes);
    }
}
