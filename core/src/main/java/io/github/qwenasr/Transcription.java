package io.github.qwenasr;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one transcription (docs/model.md 5.6, 5.8). Immutable.
 *
 * @param language    detected or forced language name; "" when unknown or silent; a comma list when
 *                    the parts disagree (official merge rule)
 * @param text        the transcript
 * @param raw         the decoded model output before parsing, parts concatenated; a collapsed
 *                    segment decode that was redone without past text is left out
 * @param tokens      generated ids of every part's final decode, in order, stop ids excluded
 * @param segments    every decoded part, in order: the official pieces, or the segments of segmented
 *                    mode (docs/modes.md 4), with times on the original recording (also when silence
 *                    was skipped); parts that produced no text are included, with empty text
 * @param truncated   whether a part's decode ended at the token or position limit instead of an end
 *                    token (its finish reason is {@link FinishReason#LENGTH}, or
 *                    {@link FinishReason#REPETITION} when the model looped until the limit): some of
 *                    the speech may be missing from the text
 * @param stats       timings and counts
 * @param silenceSkip how much audio silence skipping kept (docs/modes.md 5); empty when it was off
 */
public record Transcription(String language, String text, String raw, List<Integer> tokens, List<Segment> segments,
                            boolean truncated, Stats stats, Optional<SilenceSkip> silenceSkip) {
    public Transcription {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(stats, "stats");
        tokens = List.copyOf(tokens);
        segments = List.copyOf(segments);
        silenceSkip = silenceSkip == null ? Optional.empty() : silenceSkip;
    }

    /**
     * How the transcription as a whole ended: {@link FinishReason#REPETITION} when any part repeated
     * itself, else {@link FinishReason#LENGTH} when any part hit its limit, else
     * {@link FinishReason#STOP} when any part produced text, else {@link FinishReason#EMPTY}.
     */
    public FinishReason finishReason() {
        FinishReason worst = FinishReason.EMPTY;
        for (Segment s : segments) {
            FinishReason r = s.finishReason();
            if (r == FinishReason.REPETITION) return r;
            if (r == FinishReason.LENGTH || (r == FinishReason.STOP && worst == FinishReason.EMPTY)) worst = r;
        }
        return worst;
    }

    /** The parts that ended with {@code reason}. */
    public long count(FinishReason reason) {
        return segments.stream().filter(s -> s.finishReason() == reason).count();
    }

    /**
     * One decoded stretch of the audio.
     *
     * @param startSeconds    where it starts in the original recording
     * @param endSeconds      where it ends in the original recording
     * @param text            its transcript ("" when it produced none)
     * @param language        the language its decode reported (forced or detected; "" when unknown)
     * @param finishReason    how its decode ended: {@link FinishReason#REPETITION} when the repetition
     *                        repair changed its text, else {@link FinishReason#LENGTH} at the token or
     *                        position limit, else {@link FinishReason#EMPTY} without text, else
     *                        {@link FinishReason#STOP}
     * @param promptTokens    prompt length of its final decode (past text included)
     * @param generatedTokens ids its final decode generated (a chosen stop id included)
     * @param textTokens      generated ids after the language header
     */
    public record Segment(double startSeconds, double endSeconds, String text, String language,
                          FinishReason finishReason, int promptTokens, int generatedTokens, int textTokens) {
        public Segment {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(finishReason, "finishReason");
            language = language == null ? "" : language;
        }
    }

    /**
     * What silence skipping kept of the recording.
     *
     * @param originalSamples 16 kHz samples of the recording
     * @param keptSamples     samples left to decode
     */
    public record SilenceSkip(int originalSamples, int keptSamples) {
        /** Kept share of the recording in percent. */
        public double usedPercent() {
            return originalSamples == 0 ? 100 : 100.0 * keptSamples / originalSamples;
        }

        /** Dropped share of the recording in percent. */
        public double skippedPercent() {
            return 100 - usedPercent();
        }
    }

    /**
     * @param audioSeconds  duration of the recording
     * @param melMillis     log-mel time
     * @param encoderMillis encoder time
     * @param prefillMillis prompt pass time (first token included)
     * @param decodeMillis  time of the remaining decode steps
     * @param melFrames     log-mel frames over all encoded parts
     * @param encoderTokens audio tokens the encoder produced over them
     * @param promptTokens  prompt length summed over decoder runs
     * @param generated     generated ids summed over decoder runs (stop ids included)
     * @param textTokens    generated ids after the language header, summed over decoder runs
     * @param decoderRuns   decoder runs: one per part, plus any collapse re-decodes of segmented mode
     *                      (each run chooses its first token in the prefill pass)
     */
    public record Stats(double audioSeconds, double melMillis, double encoderMillis, double prefillMillis,
                        double decodeMillis, long melFrames, long encoderTokens, int promptTokens, int generated,
                        int textTokens, int decoderRuns) {
        public double totalMillis() {
            return melMillis + encoderMillis + prefillMillis + decodeMillis;
        }

        /** Audio seconds per second of compute. */
        public double realtimeFactor() {
            double t = totalMillis() / 1000.0;
            return t > 0 ? audioSeconds / t : 0;
        }
    }
}
