package io.github.qwenasr.align;

import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The aligner's input ids (docs/model.md 7.3): {@code <|audio_start|>}, A audio placeholders,
 * {@code <|audio_end|>}, then each unit followed by two {@code <timestamp>} tokens. No chat template,
 * no BOS. Each unit is tokenised on its own (the official string glues units to special tokens, so
 * every unit starts a fresh text segment) which is what tokenising the joined string gives.
 */
final class AlignerInput {
    static final String AUDIO_START = "<|audio_start|>";
    static final String AUDIO_PAD = "<|audio_pad|>";
    static final String AUDIO_END = "<|audio_end|>";
    static final String TIMESTAMP = "<timestamp>";

    private AlignerInput() {
    }

    /** The official input string with a single audio placeholder (before expansion to A copies). */
    public static String text(List<String> units) {
        String pair = TIMESTAMP + TIMESTAMP;
        return AUDIO_START + AUDIO_PAD + AUDIO_END + String.join(pair, units) + pair;
    }

    /** Input ids with the audio placeholder repeated {@code audioTokens} times. */
    public static int[] ids(Tokenizer tokenizer, List<String> units, int audioTokens) {
        int pad = tokenizer.requireAddedToken(AUDIO_PAD);
        int[] one = tokenizer.encode(text(units));
        int pads = 0;
        for (int id : one) if (id == pad) pads++;
        if (pads != 1) throw new IllegalStateException("expected one audio placeholder in the aligner text, found " + pads);
        int[] out = new int[one.length - 1 + audioTokens];
        int o = 0;
        for (int id : one) {
            if (id == pad) {
                Arrays.fill(out, o, o + audioTokens, pad);
                o += audioTokens;
            } else {
                out[o++] = id;
            }
        }
        return out;
    }
}
