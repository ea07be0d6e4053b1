package io.github.qwenasr;

import io.github.qwenasr.encoder.EncoderAttention;
import io.github.qwenasr.generate.TokenListener;
import io.github.qwenasr.prompt.Languages;

/**
 * What one transcription should do (MODEL.md 5.3, 5.5, 5.7, 3.6). Immutable; use the withers.
 *
 * @param language          forced language (one of the 30 names, any case) or null to detect
 * @param context           system-prompt text that biases recognition ("" for none)
 * @param maxNewTokens      generation limit per piece (official default 512)
 * @param encoderAttention  WINDOWED (trained behaviour, default) or FULL (official CPU path)
 * @param maxPieceSeconds   longer audio is split at quiet points (official 1200 s)
 * @param tokenListener     receives each generated id as it is chosen, or null
 */
public record TranscribeOptions(
        String language,
        String context,
        int maxNewTokens,
        EncoderAttention encoderAttention,
        double maxPieceSeconds,
        TokenListener tokenListener) {

    public static final int DEFAULT_MAX_NEW_TOKENS = 512;
    public static final double DEFAULT_MAX_PIECE_SECONDS = 1200;

    public TranscribeOptions {
        if (language != null && language.isBlank()) language = null;
        if (language != null) language = Languages.require(language);
        if (context == null) context = "";
        if (maxNewTokens < 1) throw new QwenAsrException("max new tokens must be at least 1, got " + maxNewTokens);
        if (encoderAttention == null) encoderAttention = EncoderAttention.WINDOWED;
        if (!(maxPieceSeconds >= 1)) throw new QwenAsrException("maximum piece length must be at least 1 s");
    }

    public static TranscribeOptions defaults() {
        return new TranscribeOptions(null, "", DEFAULT_MAX_NEW_TOKENS, EncoderAttention.WINDOWED, DEFAULT_MAX_PIECE_SECONDS, null);
    }

    public TranscribeOptions withLanguage(String l) {
        return new TranscribeOptions(l, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener);
    }

    public TranscribeOptions withContext(String c) {
        return new TranscribeOptions(language, c, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener);
    }

    public TranscribeOptions withMaxNewTokens(int n) {
        return new TranscribeOptions(language, context, n, encoderAttention, maxPieceSeconds, tokenListener);
    }

    public TranscribeOptions withEncoderAttention(EncoderAttention a) {
        return new TranscribeOptions(language, context, maxNewTokens, a, maxPieceSeconds, tokenListener);
    }

    public TranscribeOptions withMaxPieceSeconds(double s) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, s, tokenListener);
    }

    public TranscribeOptions withTokenListener(TokenListener l) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, l);
    }
}
