package io.github.qwenasr.prompt;

import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.Optional;

/**
 * The transcription prompt of the reference's {@code transcribe} (MODEL.md §5.2, §5.3): the
 * chat-template rendering of a system turn holding the context and a user turn holding one audio,
 * with the generation prompt, {@code <|audio_pad|>} repeated once per audio token, and the
 * optional forced-language suffix {@code language X<asr_text>}.
 */
public final class PromptBuilder {
    static final String IM_START = "<|im_start|>";
    static final String IM_END = "<|im_end|>";
    static final String AUDIO_START = "<|audio_start|>";
    static final String AUDIO_END = "<|audio_end|>";
    static final String AUDIO_PAD = "<|audio_pad|>";
    static final String ASR_TEXT = "<asr_text>";

    private PromptBuilder() {
    }

    /**
     * The rendered prompt text.
     *
     * @param context              system-turn text, inserted verbatim (null means "")
     * @param audioTokens          number of audio embeddings the prompt must hold (≥ 0)
     * @param forcedLanguageOrNull null or blank for "not forced"; otherwise normalised and
     *                             validated by {@link Languages#forced}
     * @throws io.github.qwenasr.QwenAsrException for an unsupported forced language
     */
    public static String render(String context, int audioTokens, String forcedLanguageOrNull) {
        if (audioTokens < 0) throw new IllegalArgumentException("audioTokens must be >= 0: " + audioTokens);
        Optional<String> forced = Languages.forced(forcedLanguageOrNull);
        String ctx = context == null ? "" : context;
        StringBuilder sb = new StringBuilder(200 + ctx.length() + audioTokens * AUDIO_PAD.length());
        sb.append(IM_START).append("system\n").append(ctx).append(IM_END).append('\n')
                .append(IM_START).append("user\n").append(AUDIO_START)
                .repeat(AUDIO_PAD, audioTokens)
                .append(AUDIO_END).append(IM_END).append('\n')
                .append(IM_START).append("assistant\n");
        forced.ifPresent(name -> sb.append("language ").append(name).append(ASR_TEXT));
        return sb.toString();
    }

    /** The token ids of {@link #render}, tokenised as one string (§5.2: never piecewise). */
    public static int[] ids(Tokenizer tok, String context, int audioTokens, String forcedLanguageOrNull) {
        return tok.encode(render(context, audioTokens, forcedLanguageOrNull));
    }
}
