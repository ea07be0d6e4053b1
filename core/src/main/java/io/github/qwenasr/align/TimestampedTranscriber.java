package io.github.qwenasr.align;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.OfflineTranscriber;
import io.github.qwenasr.longform.TranscriptionPlan;
import io.github.qwenasr.prompt.Languages;
import java.util.ArrayList;
import java.util.List;

/**
 * Transcription with word timestamps (docs/model.md 5.8, 7.6): the audio is transcribed in pieces of at
 * most {@value #MAX_PIECE_SECONDS} s (or in the segments of segmented mode), every piece with
 * non-blank text is aligned by the forced aligner with that text and its language (the forced one,
 * else the one detected for the piece), and the items are shifted by the piece offset and
 * concatenated. The engine's own plan says where each piece lies: each is aligned, with the samples
 * that were decoded, as soon as its text is final, and with silence skipping the item times are
 * mapped back to the original recording through the plan's time map.
 *
 * <p>Not thread-safe beyond what {@link QwenAsr} and {@link ForcedAligner} are (both are).
 */
public final class TimestampedTranscriber {
    /** The official piece limit when timestamps are requested (docs/model.md 5.8). */
    public static final double MAX_PIECE_SECONDS = 180;

    private final QwenAsr asr;
    private final ForcedAligner aligner;

    /** Uses {@code asr} for the text and {@code aligner} for the times; closes neither. */
    public TimestampedTranscriber(QwenAsr asr, ForcedAligner aligner) {
        this.asr = asr;
        this.aligner = aligner;
    }

    /** The transcription and its timed items, in seconds on the original recording. */
    public record Result(Transcription transcription, List<AlignedItem> items) {
        public Result {
            items = List.copyOf(items);
        }
    }

    /** The 11 languages of the published forced aligner (docs/model.md 7.6). */
    public static List<String> supportedLanguages() {
        return Languages.aligner();
    }

    /** The aligner's spelling of {@code name} (any case), or null when the aligner does not support it. */
    public static String canonicalLanguage(String name) {
        return Languages.canonicalForAligner(name).orElse(null);
    }

    /** Transcribes and aligns 16 kHz mono samples; the piece limit is lowered to 180 s if it is higher. */
    public Result transcribe16k(float[] samples, TranscribeOptions options) {
        return transcribe16k(AudioSource.of(samples), options);
    }

    /**
     * {@link #transcribe16k(float[], TranscribeOptions)} reading the audio in pieces. Each part is
     * aligned as soon as the engine has decoded it, with the very samples it decoded.
     */
    public Result transcribe16k(AudioSource samples, TranscribeOptions options) {
        TranscribeOptions o = options.maxPieceSeconds() > MAX_PIECE_SECONDS
                ? options.withMaxPieceSeconds(MAX_PIECE_SECONDS) : options;
        if (o.language() != null) alignerLanguage(o.language());   // refused before any decoding
        double duration = samples.length() / (double) TranscriptionPlan.SAMPLE_RATE;
        List<AlignedItem> items = new ArrayList<>();
        Transcription t = new OfflineTranscriber(EngineAccess.model(asr)).transcribe(samples, o,
                (plan, part, partSamples, segment) -> {
                    if (segment.text().isBlank()) return;
                    String language = alignerLanguage(o.language() != null ? o.language() : segment.language());
                    AlignmentResult r = aligner.align(partSamples, segment.text(), language);
                    double limit = part.length() / (double) TranscriptionPlan.SAMPLE_RATE;
                    for (AlignedItem item : r.items()) {
                        // A time past the part (the aligner's classes reach beyond it) is kept at its end.
                        items.add(new AlignedItem(item.text(),
                                onRecording(plan, part, Math.min(limit, item.startSeconds()), duration),
                                onRecording(plan, part, Math.min(limit, item.endSeconds()), duration)));
                    }
                });
        return new Result(t, items);
    }

    /** A language the aligner accepts: an aligner language, or "" (unknown: the default unit rule, as officially). */
    private static String alignerLanguage(String language) {
        if (language == null || language.isEmpty()) return "";
        String canonical = canonicalLanguage(language);
        if (canonical == null) {
            throw new QwenAsrException("the forced aligner does not support the language '" + language
                    + "'; supported: " + String.join(", ", Languages.aligner()));
        }
        return canonical;
    }

    /** A time into a part as seconds on the recording, kept inside it and rounded to ms (docs/model.md 7.6). */
    private static double onRecording(TranscriptionPlan plan, TranscriptionPlan.Part part, double offset,
                                      double duration) {
        double s = Math.max(0, Math.min(duration, plan.toOriginalSeconds(part, offset)));
        return Math.round(s * 1000.0) / 1000.0;
    }
}
