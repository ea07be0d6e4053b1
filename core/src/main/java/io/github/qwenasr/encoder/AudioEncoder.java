package io.github.qwenasr.encoder;

import io.github.qwenasr.EncoderAttention;
import static io.github.qwenasr.config.TensorNames.*;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelConfig.AudioConfig;
import io.github.qwenasr.kernel.KernelWarmup;
import io.github.qwenasr.kernel.MatMul;
import io.github.qwenasr.kernel.Ops;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.weights.Tensor;
import io.github.qwenasr.weights.WeightStore;

/**
 * The audio encoder (docs/model.md 3): log-mel [128][T] to A audio embeddings of the decoder width.
 *
 * <pre>
 * mel split into 100-frame chunks (tail zero-padded to 100 when T >= 100)      3.1
 * per chunk: conv2d 3x3/2 + GELU, three times (128x100 -> 480x16x13)           3.2
 * flatten channel-major (7680) -> conv_out -> + sinusoid rows 0..12             3.3-3.4
 * keep ceil(r/8) rows of each chunk, concatenate: A rows                        3.5
 * Le pre-norm layers, attention inside 104-token windows (or over all)          3.6-3.7
 * ln_post -> proj1 + GELU -> proj2                                              3.8
 * </pre>
 *
 * Immutable after construction; weights stay memory-mapped bf16 and are widened in the kernels.
 */
public final class AudioEncoder {
    /**
     * Chunks whose conv stem runs in one batch. One chunk (800 im2col rows for conv2) already
     * reuses each packed weight hundreds of times; larger batches only made bigger short-lived
     * arrays (55 MB of im2col for 4 chunks), which cost a cold encoder about 0.25 s on jfk.wav.
     */
    private static final int CONV_GROUP = 1;

    private final AudioConfig cfg;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;
    private final Tensor convOut;
    private final EncoderLayer[] layers;
    private final float[] lnPostW;
    private final float[] lnPostB;
    private final Tensor proj1;
    private final float[] proj1B;
    private final Tensor proj2;
    private final float[] proj2B;
    private final float[] positions; // [13][D] sinusoid rows actually used
    private final int chunkOut; // conv output frames of a full chunk (13)

    public AudioEncoder(AudioConfig cfg, WeightStore w) {
        // As in the decoder: the stored layers must be exactly the configured ones.
        int stored = w.layerCount(ENC);
        if (stored != cfg.layers()) {
            throw new QwenAsrException("config.json: audio_config.encoder_layers is " + cfg.layers()
                    + " but the weights hold " + stored + " encoder layers");
        }
        // The kernels compile on a spare core while the rest of the model loads.
        KernelWarmup.startOnce();
        this.cfg = cfg;
        int d = cfg.dModel();
        int ch = cfg.downsampleHidden();
        this.conv1 = new Conv2d(w, CONV1_W, CONV1_B, 1, ch);
        this.conv2 = new Conv2d(w, CONV2_W, CONV2_B, ch, ch);
        this.conv3 = new Conv2d(w, CONV3_W, CONV3_B, ch, ch);
        this.convOut = w.require(CONV_OUT_W, d, (long) ch * cfg.convFreq());
        this.layers = new EncoderLayer[cfg.layers()];
        for (int i = 0; i < layers.length; i++) layers[i] = new EncoderLayer(cfg, w, i);
        this.lnPostW = w.require(LN_POST_W, d).toFloatArray();
        this.lnPostB = w.require(LN_POST_B, d).toFloatArray();
        this.proj1 = w.require(PROJ1_W, d, d);
        this.proj1B = w.require(PROJ1_B, d).toFloatArray();
        this.proj2 = w.require(PROJ2_W, cfg.outputDim(), d);
        this.proj2B = w.require(PROJ2_B, cfg.outputDim()).toFloatArray();
        this.chunkOut = Conv2d.outSize(Conv2d.outSize(Conv2d.outSize(cfg.chunkFrames())));
        this.positions = Sinusoids.table(chunkOut, d);
    }

    /** A(T) = 13 * floor(T/100) + ceil((T mod 100)/8), in the config's chunk size (docs/model.md 3.5). */
    public int tokenCount(int frames) {
        return tokenCount(cfg, frames);
    }

    /** Audio tokens for a number of mel frames under a config (docs/model.md 3.5). */
    public static int tokenCount(AudioConfig cfg, int frames) {
        int c = cfg.chunkFrames();
        return outFrames(c) * (frames / c) + outFrames(frames % c);
    }

    private static int outFrames(int f) {
        return f == 0 ? 0 : Conv2d.outSize(Conv2d.outSize(Conv2d.outSize(f)));
    }

    /** Attention window in tokens for this input (docs/model.md 3.6). */
    public int windowTokens(int frames, EncoderAttention mode) {
        int a = tokenCount(frames);
        if (mode == EncoderAttention.FULL) return a;
        int longestChunkOut = frames >= cfg.chunkFrames() ? chunkOut : outFrames(frames);
        return Math.max(1, longestChunkOut * (cfg.nWindowInfer() / cfg.chunkFrames()));
    }

    /**
     * Encodes mel features (mel-major [128][frames]) into [A][outputDim] audio embeddings.
     */
    public float[] encode(Parallel par, float[] mel, int frames, EncoderAttention mode) {
        return encode(par, mel, frames, mode, GROUP_ROWS);
    }

    /** {@link #encode} with long inputs run about {@code groupRows} rows at a time. */
    float[] encode(Parallel par, float[] mel, int frames, EncoderAttention mode, int groupRows) {
        if (frames <= 0) throw new IllegalArgumentException("no mel frames to encode");
        KernelWarmup.stop(); // the load-time warm-up must not compete with real work

        int d = cfg.dModel();
        int a = tokenCount(frames);
        float[] x = stem(par, mel, frames, a, groupRows);
        int window = windowTokens(frames, mode);
        float[] out = new float[a * cfg.outputDim()];
        // Windows attend only within themselves, so whole windows can pass every layer a group at
        // a time: the scratch then follows the group, not the input (0.5 GB for 1200 s in one pass).
        int group = window >= a ? a : window * Math.max(1, groupRows / window);
        float[] rows = group >= a ? x : new float[(group + 1) * d];
        EncoderLayer.Scratch scratch = layers.length > 0 ? layers[0].scratch(Math.min(a, group + 1)) : null;
        float[] h = new float[Math.min(a, group + 1) * d];
        int outDim = cfg.outputDim();
        float[] y = group >= a ? out : new float[(group + 1) * outDim];
        for (int r0 = 0; r0 < a; ) {
            int m = Math.min(group, a - r0);
            if (a - r0 - m == 1) m++; // never leave one row alone: it would take the mat-vec path
            if (rows != x) System.arraycopy(x, r0 * d, rows, 0, m * d);
            for (EncoderLayer layer : layers) layer.forward(par, rows, m, window, scratch);
            Ops.layerNorm(rows, m, d, lnPostW, lnPostB, 1e-5f, rows);
            MatMul.linear(par, rows, m, proj1, proj1B, h);
            Ops.gelu(par, h, m * d);
            MatMul.linear(par, h, m, proj2, proj2B, y);
            if (y != out) System.arraycopy(y, 0, out, r0 * outDim, m * outDim);
            r0 += m;
        }
        return out;
    }

    /** Rows (whole attention windows) that pass the layers together in a long input. */
    static final int GROUP_ROWS = 1024;

    /** Conv stem, conv_out and position rows for every chunk: [A][D]. */
    private float[] stem(Parallel par, float[] mel, int frames, int a, int groupRows) {
        int c = cfg.chunkFrames();
        int nChunks = (frames + c - 1) / c;
        // When T >= C every chunk, the tail included, is C frames wide (zero padded); else one chunk of T.
        int width = frames >= c ? c : frames;
        int d = cfg.dModel();
        int bins = cfg.numMelBins();
        int ch = cfg.downsampleHidden();
        int f3 = cfg.convFreq();
        // conv_out runs once over the kept rows of every chunk (one weight pass for the whole input).
        int flatWidth = ch * f3;
        // conv_out runs over blocks of about groupRows rows (the flattened rows are 7680 wide:
        // 0.5 GB for 1200 s at once); a block never ends one row before the input does.
        int capacity = (int) Math.min(a, (long) groupRows + 2L * CONV_GROUP * chunkOut);
        float[] flat = new float[capacity * flatWidth];
        int[] chunkRow = new int[a]; // row within its chunk: which sinusoid row it gets
        float[] out = new float[a * d];
        int outRow = 0;
        int flushed = 0;
        float[] in = new float[Math.min(CONV_GROUP, nChunks) * bins * width];
        Conv2d.Buffers b1 = new Conv2d.Buffers();
        Conv2d.Buffers b2 = new Conv2d.Buffers();
        Conv2d.Buffers b3 = new Conv2d.Buffers();
        for (int g0 = 0; g0 < nChunks; g0 += CONV_GROUP) {
            int g = Math.min(CONV_GROUP, nChunks - g0);
            for (int ci = 0; ci < g; ci++) {
                int start = (g0 + ci) * c;
                int len = Math.min(c, frames - start);
                for (int m = 0; m < bins; m++) {
                    int row = (ci * bins + m) * width;
                    System.arraycopy(mel, m * frames + start, in, row, len);
                    // The last chunk is zero padded; `in` still holds the previous chunk there.
                    if (len < width) java.util.Arrays.fill(in, row + len, row + width, 0f);
                }
            }
            Conv2d.Result r1 = conv1.forward(par, in, g, bins, width, b1);
            Conv2d.Result r2 = conv2.forward(par, r1.data(), g, r1.height(), r1.width(), b2);
            Conv2d.Result r3 = conv3.forward(par, r2.data(), g, r2.height(), r2.width(), b3);
            int w3 = r3.width();
            float[] data = r3.data();
            // Flatten: feature c*16+f of time step x (channel-major, then frequency; docs/model.md 3.3).
            for (int ci = 0; ci < g; ci++) {
                int start = (g0 + ci) * c;
                int valid = outFrames(Math.min(c, frames - start));
                if (outRow + valid > a) throw new IllegalStateException("encoder produced more than " + a + " tokens");
                for (int t = 0; t < valid; t++) chunkRow[outRow + t] = t;
                for (int chan = 0; chan < ch; chan++) {
                    for (int f = 0; f < f3; f++) {
                        int src = ((ci * ch + chan) * f3 + f) * w3;
                        int dstBase = (outRow - flushed) * flatWidth + chan * f3 + f;
                        for (int t = 0; t < valid; t++) flat[dstBase + t * flatWidth] = data[src + t];
                    }
                }
                outRow += valid;
            }
            boolean last = g0 + g >= nChunks;
            if (last || (outRow - flushed >= groupRows && a - outRow >= 2)) {
                convOut(par, flat, flushed, outRow - flushed, chunkRow, out);
                flushed = outRow;
            }
        }
        if (outRow != a) throw new IllegalStateException("encoder produced " + outRow + " tokens, expected " + a);
        return out;
    }

    /** conv_out of `rows` flattened rows (flat holds them from row 0) plus their sinusoid rows, into out. */
    private void convOut(Parallel par, float[] flat, int first, int rows, int[] chunkRow, float[] out) {
        int d = cfg.dModel();
        float[] y = first == 0 ? out : new float[rows * d];
        MatMul.linear(par, flat, rows, convOut, null, y);
        for (int r = 0; r < rows; r++) {
            int o = r * d;
            int p = chunkRow[first + r] * d;
            for (int i = 0; i < d; i++) y[o + i] += positions[p + i];
        }
        if (y != out) System.arraycopy(y, 0, out, first * d, rows * d);
    }

    public AudioConfig config() {
        return cfg;
    }
}
