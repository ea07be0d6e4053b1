package io.github.qwenasr;

import java.util.List;

/**
 * The result of one transcription (docs/model.md 5.6, 5.8).
 *
 * @param language detected or forced language name; "" when unknown or silent; a comma list when
 *                 split pieces disagree (official merge rule)
 * @param text     the transcript
 * @param raw      the decoded model output before parsing, pieces (or segments) concatenated; a
 *                 collapsed segment decode that was redone without past text is left out
 * @param tokens   generated ids of every piece or kept segment decode, stop ids excluded
 * @param stats    timings and counts
 * @param segments the decoded pieces or segments (docs/modes.md 4) with non-empty text, in order, with
 *                 times on the original recording (also when silence was skipped)
 */
public record Transcription(String language, String text, String raw, int[] tokens, Stats stats,
                            List<Segment> segments) {
    public Transcription {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /**
     * One decoded stretch of the audio.
     *
     * @param startSeconds where it starts in the original recording
     * @param endSeconds   where it ends in the original recording
     * @param text         its transcript
     * @param language     the language its decode reported (forced or detected; "" when unknown)
     */
    public record Segment(double startSeconds, double endSeconds, String text, String language) {
        public Segment {
            language = language == null ? "" : language;
        }

        /** A segment whose language is unknown. */
        public Segment(double startSeconds, double endSeconds, String text) {
            this(startSeconds, endSeconds, text, "");
        }
    }

    /**
     * @param audioSeconds  input duration
     * @param melMillis     log-mel time
     * @param encoderMillis encoder time
     * @param prefillMillis prompt pass time (first token included)
     * @param decodeMillis  time of the remaining decode steps
     * @param melFrames     log-mel frames over all encoded pieces or segments
     * @param encoderTokens audio tokens the encoder produced over them
     * @param promptTokens  prompt length summed over pieces
     * @param generated     generated ids summed over pieces (stop ids included)
     * @param textTokens    generated ids after the language header
     * @param pieces        decoder runs: pieces or segments the audio was split into, plus any
     *                      collapse re-decodes of segmented mode (each run chooses its first token
     *                      in the prefill pass)
     * @param limitedRuns   decoder runs that stopped at the token limit instead of an end token:
     *                      their text may be cut short
     */
    public record Stats(double audioSeconds, double melMillis, double encoderMillis, double prefillMillis,
                        double decodeMillis, long melFrames, long encoderTokens, int promptTokens, int generated,
                        int textTokens, int pieces, int limitedRuns) {

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
