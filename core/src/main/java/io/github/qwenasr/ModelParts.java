package io.github.qwenasr;

import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.encoder.AudioEncoder;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tokenizer.Tokenizer;
import io.github.qwenasr.weights.Int8WeightCache;
import io.github.qwenasr.weights.WeightStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What every model of the family loads the same way (MODEL.md 1): mapped weights, tokenizer,
 * encoder, decoder with its head, and the worker pool. Shared by {@link QwenAsr} and the forced
 * aligner, which differ only in the head's rows and in their own config checks.
 */
public record ModelParts(Path dir, ModelConfig config, WeightStore weights, Tokenizer tokenizer,
                         AudioEncoder encoder, TextDecoder decoder, Parallel pool, Int8WeightCache.Result int8)
        implements AutoCloseable {

    /** Folder of derived files inside a model directory (the int8 cache). */
    public static final String CACHE_DIR = ".qwen-asr-cache";

    /**
     * Int8 group size: 0 = one scale per row (the default, chosen by measurement: README, Speed); the
     * system property qwenasr.int8.group (32, 64, 128, ...) selects groups for accuracy experiments.
     */
    static int int8Group() {
        return Integer.getInteger("qwenasr.int8.group", 0);
    }

    /** {@link #open(Path, ModelConfig, int, int, Quantization)} with the weights as stored. */
    public static ModelParts open(Path dir, ModelConfig config, int headRows, int threads) {
        return open(dir, config, headRows, threads, Quantization.NONE);
    }

    /**
     * Opens the parts of an already validated config; on any failure nothing stays open. The
     * tokenizer reads only its own files, so it is built on a second thread while the weights are
     * mapped and the encoder and decoder are set up; errors are reported in the same order as a
     * one-thread load would (weights, then tokenizer, then encoder and decoder).
     */
    public static ModelParts open(Path dir, ModelConfig config, int headRows, int threads, Quantization quantization) {
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
            checkAudioTokenIds(config, tokenizer);
            pool = new Parallel(Math.max(1, threads));
            Int8WeightCache.Result int8 = null;
            if (quantization == Quantization.INT8) {
                int8 = Int8WeightCache.load(weights, decoder.linearTensors(), int8Group(), int8CacheDirs(dir), pool::forEach);
                decoder = decoder.withInt8(int8.matrices());
            }
            return new ModelParts(dir, config, weights, tokenizer, encoder, decoder, pool, int8);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            weights.close();
            throw e;
        }
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

    private static void checkAudioTokenIds(ModelConfig c, Tokenizer t) {
        if (t.requireAddedToken("<|audio_pad|>") != c.audioTokenId()
                || t.requireAddedToken("<|audio_start|>") != c.audioStartTokenId()
                || t.requireAddedToken("<|audio_end|>") != c.audioEndTokenId()) {
            throw new QwenAsrException("tokenizer_config.json and config.json disagree on the audio token ids");
        }
        if (c.audioTokenId() >= c.text().vocabSize()) {
            throw new QwenAsrException("config.json: vocab_size " + c.text().vocabSize() + " does not cover the audio token id");
        }
    }

    @Override
    public void close() {
        pool.close();
        weights.close();
    }
}
