package io.github.qwenasr.format;

import io.github.qwenasr.FinishReason;
import io.github.qwenasr.Transcription;
import java.util.List;
import java.util.Objects;

/**
 * What the output writers render: the language (docs/model.md 5.6; "" when unknown), the transcript text,
 * its timed items (docs/model.md 7.6), which may be empty when no timestamps were asked for, and how
 * the decoding went (null when nothing was decoded, as in alignment mode). Null language, text and
 * items become "" or an empty list.
 */
public record TranscriptDocument(String language, String text, List<TimedItem> items, Decoding decoding) {
    public TranscriptDocument {
        language = language == null ? "" : language;
        text = text == null ? "" : text;
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** A document without decoding information (alignment mode). */
    public TranscriptDocument(String language, String text, List<TimedItem> items) {
        this(language, text, items, null);
    }

    /** A transcription and the timed items aligned to it (empty without timestamps). */
    public static TranscriptDocument of(Transcription t, List<TimedItem> items) {
        Transcription.Stats s = t.stats();
        return new TranscriptDocument(t.language(), t.text(), items, new Decoding(t.finishReason(), t.truncated(),
                s.audioSeconds(), s.promptTokens(), s.generated(), s.textTokens(), t.segments()));
    }

    /**
     * The subtitle cues the srt and vtt formats show: built from the timed items, or one cue over the
     * whole audio when there are none (empty when there is no text).
     *
     * @param audioSeconds the audio duration (0 when unknown)
     */
    public List<SubtitleCue> cues(double audioSeconds) {
        return CueBuilder.build(this, audioSeconds);
    }

    /**
     * How a transcript was decoded (docs/modes.md 10).
     *
     * @param finishReason    how the decoding ended as a whole
     * @param truncated       whether a decode ended at its token limit: text may be missing
     * @param audioSeconds    duration of the recording
     * @param promptTokens    prompt tokens over all decoder runs
     * @param generatedTokens generated tokens over all decoder runs
     * @param textTokens      generated text tokens (after the language header)
     * @param segments        the decoded parts (empty for a stream)
     */
    public record Decoding(FinishReason finishReason, boolean truncated, double audioSeconds, long promptTokens,
                           long generatedTokens, long textTokens, List<Transcription.Segment> segments) {
        public Decoding {
            Objects.requireNonNull(finishReason, "finishReason");
            segments = List.copyOf(segments);
        }
    }
}
