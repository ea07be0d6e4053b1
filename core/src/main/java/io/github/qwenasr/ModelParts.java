package io.github.qwenasr;

import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.encoder.AudioEncoder;
import io.github.qwenasr.kernel.GemmBackends;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tokenizer.Tokenizer;
import io.github.qwenasr.weights.WeightStore;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What every model of the family loads the same way (MODEL.md 1): mapped weights, tokenizer,
 * encoder, decoder with its head, and the worker pool. Shared by {@link QwenAsr} and the forced
 * aligner, which differ only in the head's rows and in their own config checks.
 */
public record ModelParts(Path dir, ModelConfig config, WeightStore weights, Tokenizer tokenizer,
                         AudioEncoder encoder, TextDecoder decoder, Parallel pool, ComputeStatus compute)
        implements AutoCloseable {

    /** {@link #open(Path, ModelConfig, int, int, ComputeMode)} in exact f32. */
    public static ModelParts open(Path dir, ModelConfig config, int headRows, int threads) {
        return open(dir, config, headRows, threads, ComputeMode.EXACT);
    }

    /**
     * Opens the parts of an already validated config; on any failure nothing stays open. The
     * tokenizer reads only its own files, so it is built on a second thread while the weights are
     * mapped and the encoder and decoder are set up; errors are reported in the same order as a
     * one-thread load would (weights, then tokenizer, then encoder and decoder).
     */
    public static ModelParts open(Path dir, ModelConfig config, int headRows, int threads, ComputeMode compute) {
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
            // BF16 runs only where a native backend can run here; otherwise EXACT, with the reason.
            GemmBackends.Found gemm = compute == ComputeMode.BF16 ? GemmBackends.find() : null;
            ComputeStatus status = gemm == null ? new ComputeStatus(compute, compute, "")
                    : gemm.backend() != null ? new ComputeStatus(compute, ComputeMode.BF16, gemm.backend().name())
                    : new ComputeStatus(compute, ComputeMode.EXACT, gemm.reason());
            pool = new Parallel(Math.max(1, threads), gemm == null ? null : gemm.backend());
            return new ModelParts(dir, config, weights, tokenizer, encoder, decoder, pool, status);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            weights.close();
            throw e;
        }
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
