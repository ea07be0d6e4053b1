package io.github.qwenasr.engine;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.ComputeStatus;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.ModelInfo;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.config.TensorNames;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.encoder.AudioEncoder;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.DecodeStats;
import io.github.qwenasr.generate.DecodeScheduler;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.kernel.GemmBackends;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.kernel.VectorWidth;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.tokenizer.Tokenizer;
import io.github.qwenasr.weights.Int8WeightCache;
import io.github.qwenasr.weights.WeightStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One loaded model of the family (docs/model.md 1): mapped weights, tokenizer, encoder, decoder with
 * its head, the worker pool and the special-token ids, resolved once. The speech model
 * ({@code QwenAsr}), the forced aligner and every streaming session use it; they differ only in the
 * head's rows and in what they do with the decoder. Thread-safe: per-call state lives in the
 * {@link io.github.qwenasr.generate.DecodeSequence} or the caller's arrays, and the sequences of
 * all callers decode together in the model's {@link DecodeScheduler}.
 */
public final class Model implements AutoCloseable {
    /** Folder of derived files inside a model directory (the int8 cache). */
    public static final String CACHE_DIR = ".qwen-asr-cache";

    private final Path dir;
    private final ModelConfig config;
    private final WeightStore weights;
    private final Tokenizer tokenizer;
    private final AudioEncoder encoder;
    private final TextDecoder decoder;
    private final Parallel pool;
    private final SpecialTokens tokens;
    private final DecodeScheduler scheduler;
    private final ComputeStatus compute;
    /** How the int8 decoder weights were obtained; null when the weights are used as stored. */
    private final Int8WeightCache.Result int8;

    private Model(Path dir, ModelConfig config, WeightStore weights, Tokenizer tokenizer, AudioEncoder encoder,
                  TextDecoder decoder, Parallel pool, SpecialTokens tokens, ComputeStatus compute,
                  Int8WeightCache.Result int8) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.decoder = decoder;
        this.pool = pool;
        this.tokens = tokens;
        this.compute = compute;
        this.int8 = int8;
        this.scheduler = new DecodeScheduler(decoder, pool, DecodeScheduler.Limits.fromSystemProperties());
    }

    /** Why ComputeMode.BF16 falls back on the scalar setting. */
    static final String SCALAR_NO_BF16 = VectorWidth.PROPERTY + "=scalar runs every product on the scalar path";

    /** {@link #open(Path, ModelConfig, LoadOptions)} with this many threads, weights as stored, exact f32. */
    public static Model open(Path dir, ModelConfig config, int threads) {
        return open(dir, config, LoadOptions.defaults().withThreads(Math.max(1, threads)));
    }

    /**
     * Opens the parts of an already validated config (the head has {@code classify_num} rows for the
     * aligner, the vocabulary's otherwise); on any failure nothing stays open. The tokenizer reads
     * only its own files, so it is built on a second thread while the weights are mapped and the
     * encoder and decoder are set up; errors are reported in the same order as a one-thread load
     * would (weights, then tokenizer, then encoder and decoder, then the token ids). With
     * {@link Quantization#INT8} the decoder's linear weights are quantized once into a cache file
     * ({@link Int8WeightCache}) and mapped from it on later loads. With {@link ComputeMode#BF16} the
     * pool carries the first usable {@link io.github.qwenasr.kernel.GemmBackend} (docs/kernels.md 10);
     * where none can run here the model is exact f32 and its {@link ComputeStatus} says why. An
     * unknown kernel width setting ({@link VectorWidth}, docs/kernels.md 6) fails first.
     */
    public static Model open(Path dir, ModelConfig config, LoadOptions options) {
        try {
            VectorWidth.requireValid();
        } catch (IllegalArgumentException e) {
            throw new QwenAsrException(e.getMessage());
        }
        int headRows = config.aligner() ? config.classifyNum() : config.text().vocabSize();
        FutureTask<Tokenizer> tokenizerLoad = new FutureTask<>(() -> Tokenizer.load(dir));
        Thread.ofPlatform().name("qwen-asr-tokenizer-load").daemon().start(tokenizerLoad);
        WeightStore weights = WeightStore.open(dir);
        Parallel pool = null;
        try {
            AudioEncoder encoder;
            TextDecoder decoder;
            try {
                encoder = new AudioEncoder(config.audio(), weights);
                decoder = new TextDecoder(config.text(), weights, headRows);
            } catch (RuntimeException e) {
                awaitTokenizer(tokenizerLoad);   // a tokenizer error would have come first
                throw e;
            }
            Tokenizer tokenizer = awaitTokenizer(tokenizerLoad);
            SpecialTokens ids = SpecialTokens.resolve(config, tokenizer);
            // The scalar setting keeps every product in Java (docs/kernels.md 6): no native backend then.
            boolean bf16 = options.compute() == ComputeMode.BF16;
            GemmBackends.Found gemm = bf16 && !VectorWidth.SCALAR ? GemmBackends.find() : null;
            ComputeStatus status = bf16 && VectorWidth.SCALAR
                    ? new ComputeStatus(ComputeMode.BF16, ComputeMode.EXACT, SCALAR_NO_BF16)
                    : gemm == null ? new ComputeStatus(options.compute(), options.compute(), "")
                    : gemm.backend() != null ? new ComputeStatus(ComputeMode.BF16, ComputeMode.BF16, gemm.backend().name())
                    : new ComputeStatus(ComputeMode.BF16, ComputeMode.EXACT, gemm.reason());
            pool = new Parallel(options.threads(), gemm == null ? null : gemm.backend());
            Int8WeightCache.Result int8 = null;
            if (options.quantization() == Quantization.INT8) {
                int8 = Int8WeightCache.load(weights, decoder.linearTensors(), int8Group(), int8CacheDirs(dir), pool::forEach);
                decoder = decoder.withInt8(int8.matrices());
            }
            return new Model(dir, config, weights, tokenizer, encoder, decoder, pool, ids, status, int8);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            weights.close();
            throw e;
        }
    }

    /**
     * Int8 group size: 0 = one scale per row (the default, chosen by measurement: README, Speed); the
     * system property qwenasr.int8.group (32, 64, 128, ...) selects groups for accuracy experiments.
     */
    static int int8Group() {
        return Integer.getInteger("qwenasr.int8.group", 0);
    }

    /** Where the int8 cache file is looked for and written: next to the model, else the user's cache folder. */
    static List<Path> int8CacheDirs(Path modelDir) {
        Path user = ModelCache.fromEnvironment(System.getenv()).root().resolve("int8");
        return List.of(modelDir.resolve(CACHE_DIR), user);
    }

    /** The tokenizer once its thread is done, or the exception it failed with. */
    private static Tokenizer awaitTokenizer(FutureTask<Tokenizer> load) {
        try {
            return load.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QwenAsrException("interrupted while loading the tokenizer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new QwenAsrException("cannot load the tokenizer: " + cause, cause);
        }
    }

    /**
     * Log-mel and encoder over 16 kHz samples (docs/model.md 2, 3). {@code releaseEncoderPages}: the
     * encoder's weights (373 MB for 0.6B) are not read again until the next piece, so a caller that
     * decodes next drops them from the resident set (the decode peak is then the decoder's weights
     * and the heap, about 0.3 GB lower); a caller that encodes again soon (streaming) keeps them.
     */
    public EncodedAudio encode(float[] samples16k, EncoderAttention attention, boolean releaseEncoderPages) {
        long t0 = System.nanoTime();
        LogMel.Features features = LogMel.compute(samples16k);
        long t1 = System.nanoTime();
        float[] rows = encoder.encode(pool, features.data(), features.frames(), attention);
        int count = encoder.tokenCount(features.frames());
        if (releaseEncoderPages) weights.releasePages(TensorNames.ENC);
        long t2 = System.nanoTime();
        return new EncodedAudio(rows, count, features.frames(), samples16k.length, t1 - t0, t2 - t1);
    }

    /**
     * A new greedy decoding state on this model's decoder, ended by its end-of-turn ids; its
     * {@link DecodeSequence#run()} decodes in the model's shared batch.
     */
    public DecodeSequence newSequence() {
        return new DecodeSequence(decoder, pool, tokens::isEnd, scheduler);
    }

    /** What the shared decode batch is doing. */
    public DecodeStats decodeStats() {
        return scheduler.stats();
    }

    /** Encoder rows (audio tokens) for this many 16 kHz samples. */
    public int audioTokens(long samples16k) {
        return encoder.tokenCount(LogMel.frameCount(samples16k));
    }

    public Path directory() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public AudioEncoder encoder() {
        return encoder;
    }

    public TextDecoder decoder() {
        return decoder;
    }

    public Parallel pool() {
        return pool;
    }

    public SpecialTokens tokens() {
        return tokens;
    }

    /** The compute path the matmuls run on, and why not the requested one after a fallback. */
    public ComputeStatus compute() {
        return compute;
    }

    /** How the int8 decoder weights were obtained on load (cache file mapped or written, or memory); empty without int8. */
    public Optional<Int8WeightCache.Result> int8Weights() {
        return Optional.ofNullable(int8);
    }

    public Quantization quantization() {
        return int8 == null ? Quantization.NONE : Quantization.INT8;
    }

    /** What was loaded, for status lines; {@code languages}: the names the caller's task accepts. */
    public ModelInfo info(List<String> languages) {
        return new ModelInfo(config.variantName(), dir, parameters(), config.audio().layers(), config.text().layers(),
                config.text().hidden(), config.text().vocabSize(), config.text().maxPositions(), languages,
                quantization(), int8 == null ? "" : int8.describe(), compute);
    }

    /** Elements of every stored tensor (the parameter count of the checkpoint). */
    public long parameters() {
        long n = 0;
        for (String name : weights.names()) n += weights.find(name).numel();
        return n;
    }

    /** Ends the decodes in flight, then stops the workers and unmaps the weights. */
    @Override
    public void close() {
        scheduler.close();
        pool.close();
        weights.close();
    }
}
