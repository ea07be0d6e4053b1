package io.github.qwenasr.align;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.longform.AudioSplitter;
import io.github.qwenasr.longform.Segmenter;
import io.github.qwenasr.longform.SilenceCompactor;
import io.github.qwenasr.longform.TimeMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Transcription with word timestamps (docs/model.md 5.8, 7.6): the audio is transcribed in pieces of at
 * most {@value #MAX_PIECE_SECONDS} s (or in the segments of segmented mode), every piece with
 * non-blank text is aligned by the forced aligner with that text and its language (the forced one,
 * else the one detected for the piece), and the items are shifted by the piece offset and
 * concatenated. With silence skipping the pieces are cut from the compacted audio and the item times
 * are mapped back to the original recording through the same {@link TimeMap}.
 *
 * <p>Not thread-safe beyond what {@link QwenAsr} and {@link ForcedAligner} are (both are).
 */
public final class TimestampedTranscriber {
    /** The official piece limit when timestamps are requested (docs/model.md 5.8). */
    public static final double MAX_PIECE_SECONDS = 180;

    private static final List<String> LANGUAGES = List.of("Chinese", "English", "Cantonese", "French", "German",
            "Italian", "Japanese", "Korean", "Portuguese", "Russian", "Spanish");

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
        return LANGUAGES;
    }

    /** The aligner's spelling of {@code name} (case-insensitive), or null when the aligner does not support it. */
    public static String canonicalLanguage(String name) {
        if (name == null) return null;
        String wanted = name.strip();
        for (String l : LANGUAGES) {
            if (l.equalsIgnoreCase(wanted)) return l;
        }
        return null;
    }

    /** Transcribes and aligns 16 kHz mono samples; the piece limit is lowered to 180 s if it is higher. */
    public Result transcribe16k(float[] samples, TranscribeOptions options) {
        return transcribe16k(AudioSource.of(samples), options);
    }

    /** {@link #transcribe16k(float[], TranscribeOptions)} reading the audio in pieces. */
    public Result transcribe16k(AudioSource samples, TranscribeOptions options) {
        TranscribeOptions o = options.maxPieceSeconds() > MAX_PIECE_SECONDS
                ? options.withMaxPieceSeconds(MAX_PIECE_SECONDS) : options;
        Transcription t = asr.transcribe16k(samples, o);

        // Redo the engine's (deterministic) compaction and split to get each decoded stretch's audio.
        AudioSource audio = samples;
        TimeMap map = TimeMap.identity(samples.length());
        if (o.skipSilence()) {
            SilenceCompactor.Compacted c = SilenceCompactor.compact(samples);
            audio = c.audio();
            map = c.map();
        }
        List<Span> spans = spans(audio, o);

        double duration = samples.length() / (double) AudioSplitter.SAMPLE_RATE;
        List<AlignedItem> items = new ArrayList<>();
        int next = 0;
        List<Transcription.Segment> segments = t.segments();
        for (Span span : spans) {
            if (next >= segments.size()) break;
            Transcription.Segment seg = segments.get(next);
            // Segments exist only for stretches with text; they carry the same mapped bounds.
            double start = map.toOriginalSample(span.start) / AudioSplitter.SAMPLE_RATE;
            double end = map.toOriginalSample(span.end) / AudioSplitter.SAMPLE_RATE;
            if (seg.startSeconds() != start || seg.endSeconds() != end) continue;
            next++;
            if (seg.text().isBlank()) continue;
            String language = alignerLanguage(o.language() != null ? o.language() : seg.language());
            AlignmentResult r = aligner.align(span.samples(audio), seg.text(), language);
            double offset = span.start / (double) AudioSplitter.SAMPLE_RATE;
            double limit = (span.end - span.start) / (double) AudioSplitter.SAMPLE_RATE;
            for (AlignedItem item : r.items()) {
                // A time past the stretch (the aligner's classes reach beyond it) is kept at its end.
                items.add(new AlignedItem(item.text(),
                        toOriginal(map, offset + Math.min(limit, item.startSeconds()), duration),
                        toOriginal(map, offset + Math.min(limit, item.endSeconds()), duration)));
            }
        }
        if (next != segments.size()) {
            throw new IllegalStateException("could not match " + (segments.size() - next) + " transcribed pieces to audio");
        }
        return new Result(t, items);
    }

    /** A language the aligner accepts: an aligner language, or "" (unknown: the default unit rule, as officially). */
    private static String alignerLanguage(String language) {
        if (language == null || language.isEmpty()) return "";
        String canonical = canonicalLanguage(language);
        if (canonical == null) {
            throw new QwenAsrException("the forced aligner does not support the language '" + language
                    + "'; supported: " + String.join(", ", LANGUAGES));
        }
        return canonical;
    }

    /** Compacted seconds to original seconds, kept inside the recording and rounded to ms (docs/model.md 7.6). */
    private static double toOriginal(TimeMap map, double compactedSeconds, double duration) {
        double s = Math.max(0, Math.min(duration, map.toOriginalSeconds(compactedSeconds)));
        return Math.round(s * 1000.0) / 1000.0;
    }

    /** One decoded stretch of the (compacted) audio; the aligner gets its samples, read when needed. */
    private record Span(int start, int end, List<Segmenter.Range> parts, int index) {
        /** Segments and split pieces are both padded to 0.5 s, a lone piece is not: pieceSamples' rule. */
        float[] samples(AudioSource audio) {
            return AudioSplitter.pieceSamples(audio, parts, index);
        }
    }

    private static List<Span> spans(AudioSource audio, TranscribeOptions o) {
        List<Span> out = new ArrayList<>();
        List<Segmenter.Range> ranges = Segmenter.split(audio, o.segmentSeconds(), o.searchSeconds());
        if (ranges.size() <= 1) ranges = AudioSplitter.ranges(audio, o.maxPieceSeconds());
        for (int i = 0; i < ranges.size(); i++) {
            out.add(new Span(ranges.get(i).start(), ranges.get(i).end(), ranges, i));
        }
        return out;
    }
}
