package io.github.qwenasr;

/**
 * The result of one transcription (MODEL.md 5.6, 5.8).
 *
 * @param language detected or forced language name; "" when unknown or silent; a comma list when
 *                 split pieces disagree (official merge rule)
 * @param text     the transcript
 * @param raw      the decoded model output before parsing, pieces concatenated
 * @param tokens   generated ids of every piece, stop ids excluded
 * @param stats    timings and counts
 */
public record Transcription(String language, String text, String raw, int[] tokens, Stats stats) {
    /**
     * @param audioSeconds  input duration
     * @param melMillis     log-mel time
     * @param encoderMillis encoder time
     * @param prefillMillis prompt pass time (first token included)
     * @param decodeMillis  time of the remaining decode steps
     * @param promptTokens  prompt length summed over pieces
     * @param generated     generated ids summed over pieces (stop ids included)
     * @param textTokens    generated ids after the language header
     * @param pieces        number of pieces the audio was split into
     */
    public record Stats(double audioSeconds, double melMillis, double encoderMillis, double prefillMillis,
                        double decodeMillis, int promptTokens, int generated, int textTokens, int pieces) {
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
