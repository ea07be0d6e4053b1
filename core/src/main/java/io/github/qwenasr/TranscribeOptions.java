package io.github.qwenasr;

import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.TokenListener;
import io.github.qwenasr.prompt.Languages;
import io.github.qwenasr.vad.VoiceActivity;
import java.util.function.BooleanSupplier;

/**
 * What one transcription should do (docs/model.md 5.3, 5.5, 5.7, 3.6). Immutable; use the withers.
 *
 * @param language          forced language (one of the 30 names, any case) or null to detect
 * @param context           system-prompt text that biases recognition ("" for none)
 * @param maxNewTokens      generation limit per piece; {@value #AUTO_MAX_NEW_TOKENS} (the default) means
 *                          {@link #tokenLimit(int) automatic}: the official 512, raised for long pieces
 * @param encoderAttention  WINDOWED (trained behaviour, default) or FULL (official CPU path)
 * @param maxPieceSeconds   longer audio is split at quiet points (official 1200 s)
 * @param tokenListener     receives each generated id as it is chosen, or null
 * @param segmentSeconds    segmented mode's target segment length (docs/modes.md 4); 0 = off
 * @param searchSeconds     half-width of the quiet-point search around each target cut (-W, default 3;
 *                          capped at segmentSeconds / 2)
 * @param pastText          past-text conditioning for segments (4.4); AUTO = off
 * @param skipSilence       compact long silences before segmenting (docs/modes.md 5)
 * @param cancellation      asked before each decoding step, from the transcribing thread; when it
 *                          returns true the transcription stops with a
 *                          {@link java.util.concurrent.CancellationException} (never asked when null)
 * @param voiceActivity     decode only the utterances this detector finds, each as a unit, with
 *                          times kept on the original recording (docs/modes.md 7.5); null = off
 */
public record TranscribeOptions(
        String language,
        String context,
        int maxNewTokens,
        EncoderAttention encoderAttention,
        double maxPieceSeconds,
        TokenListener tokenListener,
        double segmentSeconds,
        double searchSeconds,
        PastText pastText,
        boolean skipSilence,
        BooleanSupplier cancellation,
        VoiceActivity voiceActivity) {

    /** The official package's limit (transformers backend), used for pieces up to 51.2 s. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 512;
    /** maxNewTokens value that selects the automatic, length-dependent limit. */
    public static final int AUTO_MAX_NEW_TOKENS = 0;
    /**
     * Automatic limit per second of audio: well above any speech rate (about 3 to 6 tokens per
     * second), so a long piece is never cut short by the official fixed 512, which a real model
     * reaches after roughly two minutes of speech.
     */
    public static final int AUTO_TOKENS_PER_SECOND = 10;
    public static final double DEFAULT_MAX_PIECE_SECONDS = 1200;
    public static final double DEFAULT_SEARCH_SECONDS = 3;
    /** Most tokens of earlier text put before a segment with past text on (bounded, unlike the earlier engines). */
    public static final int PAST_TEXT_TOKENS = 200;
    /** Shortest non-zero segment length: shorter targets would decode mostly padding. */
    public static final double MIN_SEGMENT_SECONDS = 1;

    public TranscribeOptions {
        if (language != null && language.isBlank()) language = null;
        if (language != null) language = Languages.require(language);
        if (context == null) context = "";
        if (maxNewTokens < 0) throw new QwenAsrException("max new tokens must be at least 1, got " + maxNewTokens);
        if (encoderAttention == null) encoderAttention = EncoderAttention.WINDOWED;
        if (!(maxPieceSeconds >= 1)) throw new QwenAsrException("maximum piece length must be at least 1 s");
        if (!(segmentSeconds == 0 || (segmentSeconds >= MIN_SEGMENT_SECONDS && Double.isFinite(segmentSeconds)))) {
            throw new QwenAsrException("segment length must be 0 (off) or at least " + MIN_SEGMENT_SECONDS
                    + " s, got " + segmentSeconds);
        }
        if (!(searchSeconds >= 0 && Double.isFinite(searchSeconds))) {
            throw new QwenAsrException("split search window must be a finite number >= 0, got " + searchSeconds);
        }
        if (pastText == null) pastText = PastText.AUTO;
        if (voiceActivity != null && skipSilence) {
            throw new QwenAsrException("voice activity detection and silence skipping both drop the pauses; choose one");
        }
        if (voiceActivity != null && segmentSeconds > 0) {
            throw new QwenAsrException("with voice activity detection each utterance is one segment; a segment length cannot be combined with it");
        }
    }

    public static TranscribeOptions defaults() {
        return new TranscribeOptions(null, "", AUTO_MAX_NEW_TOKENS, EncoderAttention.WINDOWED,
                DEFAULT_MAX_PIECE_SECONDS, null, 0, DEFAULT_SEARCH_SECONDS, PastText.AUTO, false, null, null);
    }

    /**
     * The generation limit for one piece of the given length: the explicit maxNewTokens, or
     * automatically max(512, 10 per second of audio).
     */
    public int tokenLimit(int samples16k) {
        if (maxNewTokens != AUTO_MAX_NEW_TOKENS) return maxNewTokens;
        long perSecond = (long) Math.ceil(samples16k / 16000.0 * AUTO_TOKENS_PER_SECOND);
        return (int) Math.max(DEFAULT_MAX_NEW_TOKENS, Math.min(perSecond, 1 << 20));
    }

    public TranscribeOptions withLanguage(String l) {
        return new TranscribeOptions(l, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withContext(String c) {
        return new TranscribeOptions(language, c, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withMaxNewTokens(int n) {
        return new TranscribeOptions(language, context, n, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withEncoderAttention(EncoderAttention a) {
        return new TranscribeOptions(language, context, maxNewTokens, a, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withMaxPieceSeconds(double s) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, s, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withTokenListener(TokenListener l) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, l,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withSegmentSeconds(double s) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                s, searchSeconds, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withSearchSeconds(double w) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, w, pastText, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withPastText(PastText p) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, p, skipSilence, cancellation, voiceActivity);
    }

    public TranscribeOptions withSkipSilence(boolean on) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, on, cancellation, voiceActivity);
    }

    /** Stops the transcription at its next decoding step once {@code c} returns true (null: never). */
    public TranscribeOptions withCancellation(BooleanSupplier c) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, c, voiceActivity);
    }

    /**
     * Decodes only the utterances {@code v} finds, each as a segment (zero-padded to 0.5 s, joined as
     * segments are, conditioned on the text so far unless past text is {@link PastText#NO}), with
     * their spans on the original recording (docs/modes.md 7.5); null turns it off. Not combinable
     * with silence skipping or a segment length.
     */
    public TranscribeOptions withVoiceActivity(VoiceActivity v) {
        return new TranscribeOptions(language, context, maxNewTokens, encoderAttention, maxPieceSeconds, tokenListener,
                segmentSeconds, searchSeconds, pastText, skipSilence, cancellation, v);
    }

    /**
     * Whether segments are conditioned on the text so far (docs/modes.md 4.4): with {@link PastText#YES},
     * and with {@link PastText#AUTO} when the segments are utterances (the text so far is their context,
     * docs/modes.md 7.5).
     */
    public boolean conditionsSegments() {
        return pastText == PastText.YES || (pastText == PastText.AUTO && voiceActivity != null);
    }
}
