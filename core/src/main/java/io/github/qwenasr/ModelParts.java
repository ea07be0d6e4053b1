package io.github.qwenasr;

import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.encoder.AudioEncoder;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tokenizer.Tokenizer;
import io.github.qwenasr.weights.WeightStore;
import java.nio.file.Path;

/**
 * What every model of the family loads the same way (MODEL.md 1): mapped weights, tokenizer,
 * encoder, decoder with its head, and the worker pool. Shared by {@link QwenAsr} and the forced
 * aligner, which differ only in the head's rows and in their own config checks.
 */
public record ModelParts(Path dir, ModelConfig config, WeightStore weights, Tokenizer tokenizer,
                         AudioEncoder encoder, TextDecoder decoder, Parallel pool) implements AutoCloseable {

    /** Opens the parts of an already validated config; on any failure nothing stays open. */
    public static ModelParts open(Path dir, ModelConfig config, int headRows, int threads) {
        WeightStore weights = WeightStore.open(dir);
        Parallel pool = null;
        try {
            Tokenizer tokenizer = Tokenizer.load(dir);
            checkAudioTokenIds(config, tokenizer);
            AudioEncoder encoder = new AudioEncoder(config.audio(), weights);
            TextDecoder decoder = new TextDecoder(config.text(), weights, headRows);
            pool = new Parallel(Math.max(1, threads));
            return new ModelParts(dir, config, weights, tokenizer, encoder, decoder, pool);
        } catch (RuntimeException e) {
            if (pool != null) pool.close();
            weights.close();
            throw e;
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
