package io.github.qwenasr.prompt;

import io.github.qwenasr.tokenizer.Tokenizer;
import java.util.Optional;

/**
 * The transcription prompt of the reference's {@code transcribe} (docs/model.md 5.2, 5.3): the
 * chat-template rendering of a system turn holding the context and a user turn holding one audio,
 * with the generation prompt, {@code <|audio_pad|>} repeated once per audio token, and the
 * optional forced-language suffix {@code language X<asr_text>}, and for segmented decoding the
 * optional past-text suffix (docs/modes.md 3.2, 4.4): the tokens of earlier text followed by
 * {@code <asr_text>}, so generation continues after that text.
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

    /** The token ids of {@link #render}, tokenised as one string (docs/model.md 5.2: never piecewise). */
    public static int[] ids(Tokenizer tok, String context, int audioTokens, String forcedLanguageOrNull) {
        return tok.encode(render(context, audioTokens, forcedLanguageOrNull));
    }

    /**
     * {@link #ids} followed by the past-text suffix: {@code pastTextIds} then {@code <asr_text>}.
     * An empty {@code pastTextIds} adds nothing (no conditioning).
     */
    public static int[] idsWithPastText(Tokenizer tok, String context, int audioTokens, String forcedLanguageOrNull,
                                        int[] pastTextIds) {
        int[] base = ids(tok, context, audioTokens, forcedLanguageOrNull);
        if (pastTextIds.length == 0) return base;
        int[] out = java.util.Arrays.copyOf(base, base.length + pastTextIds.length + 1);
        System.arraycopy(pastTextIds, 0, out, base.length, pastTextIds.length);
        out[out.length - 1] = tok.requireAddedToken(ASR_TEXT);
        return out;
    }

    /**
     * The last {@code maxTokens} tokens of {@code text} (all of them when fewer): the bounded
     * conditioning history, so prompts stay short however long the recording (12.2.4).
     */
    public static int[] pastTextIds(Tokenizer tok, String text, int maxTokens) {
        if (text == null || text.isBlank() || maxTokens <= 0) return new int[0];
        // Only the tail can survive the cut, so don't tokenise a long history whole (8 chars/token is generous).
        int keepChars = maxTokens * 8;
        if (text.length() > keepChars) text = text.substring(text.length() - keepChars);
        int[] all = tok.encode(text);
        return all.length <= maxTokens ? all : java.util.Arrays.copyOfRange(all, all.length - maxTokens, all.length);
    }
}
