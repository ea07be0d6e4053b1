package io.github.qwenasr.engine;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.config.ModelConfig;
import io.github.qwenasr.tokenizer.Tokenizer;

/**
 * The special-token ids a model needs, looked up once and checked against config.json
 * (docs/model.md 1.3, 5.2, 7.3). The speech model's turn and text markers are -1 for the aligner,
 * the aligner's {@code <timestamp>} is -1 for the speech model.
 *
 * @param audioPad   {@code <|audio_pad|>}, the placeholder each encoder row replaces
 * @param audioStart {@code <|audio_start|>}
 * @param audioEnd   {@code <|audio_end|>}
 * @param imEnd      {@code <|im_end|>}: ends the assistant turn
 * @param endOfText  {@code <|endoftext|>}: also ends generation
 * @param asrText    {@code <asr_text>}: separates the language header from the transcript
 * @param timestamp  {@code <timestamp>}: the aligner's query positions
 */
public record SpecialTokens(int audioPad, int audioStart, int audioEnd, int imEnd, int endOfText, int asrText,
                            int timestamp) {

    static SpecialTokens resolve(ModelConfig c, Tokenizer t) {
        if (t.requireAddedToken("<|audio_pad|>") != c.audioTokenId()
                || t.requireAddedToken("<|audio_start|>") != c.audioStartTokenId()
                || t.requireAddedToken("<|audio_end|>") != c.audioEndTokenId()) {
            throw new QwenAsrException("tokenizer_config.json and config.json disagree on the audio token ids");
        }
        if (c.audioTokenId() >= c.text().vocabSize()) {
            throw new QwenAsrException("config.json: vocab_size " + c.text().vocabSize() + " does not cover the audio token id");
        }
        if (c.aligner()) {
            if (t.requireAddedToken("<timestamp>") != c.timestampTokenId()) {
                throw new QwenAsrException("tokenizer_config.json and config.json disagree on the <timestamp> token id");
            }
            return new SpecialTokens(c.audioTokenId(), c.audioStartTokenId(), c.audioEndTokenId(), -1, -1, -1,
                    c.timestampTokenId());
        }
        return new SpecialTokens(c.audioTokenId(), c.audioStartTokenId(), c.audioEndTokenId(),
                t.requireAddedToken("<|im_end|>"), t.requireAddedToken("<|endoftext|>"),
                t.requireAddedToken("<asr_text>"), -1);
    }

    /** Whether greedy decoding ends at {@code id} (docs/model.md 5.5: either end-of-turn id). */
    public boolean isEnd(int id) {
        return id == imEnd || id == endOfText;
    }
}
