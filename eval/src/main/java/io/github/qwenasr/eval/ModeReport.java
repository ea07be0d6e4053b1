package io.github.qwenasr.eval;

import java.util.List;
import java.util.Objects;

/**
 * The totals of one mode over the data set: corpus-level error rates (all errors over all reference
 * units), counts and times.
 *
 * @param mode         the mode
 * @param utterances   utterances transcribed (failures included)
 * @param failures     utterances whose transcription failed (scored as empty transcripts)
 * @param words        word errors summed over the utterances
 * @param characters   character errors summed over the utterances
 * @param audioSeconds audio length summed over the utterances
 * @param loadSeconds  time to load the model in this mode
 * @param wallSeconds  time to open and transcribe the utterances (loading excluded)
 */
public record ModeReport(EvalMode mode, int utterances, int failures, EditCounts words, EditCounts characters,
                         double audioSeconds, double loadSeconds, double wallSeconds) {
    public ModeReport {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(words, "words");
        Objects.requireNonNull(characters, "characters");
    }

    /** Sums the results of one mode. */
    public static ModeReport of(EvalMode mode, double loadSeconds, List<UtteranceResult> results) {
        EditCounts words = EditCounts.ZERO;
        EditCounts characters = EditCounts.ZERO;
        double audio = 0;
        double wall = 0;
        int failures = 0;
        for (UtteranceResult r : results) {
            if (r.mode() != mode) throw new IllegalArgumentException("a result of mode " + r.mode() + " among " + mode);
            words = words.plus(r.score().words());
            characters = characters.plus(r.score().characters());
            audio += r.audioSeconds();
            wall += r.seconds();
            if (r.failed()) failures++;
        }
        return new ModeReport(mode, results.size(), failures, words, characters, audio, loadSeconds, wall);
    }

    /** Word error rate over the whole data set; NaN when the references hold no word. */
    public double wordErrorRate() {
        return words.rate();
    }

    /** Character error rate over the whole data set; NaN when the references hold no character. */
    public double characterErrorRate() {
        return characters.rate();
    }

    /** Real-time factor: transcription time over audio time (below 1 is faster than real time); NaN without audio. */
    public double realTimeFactor() {
        return audioSeconds > 0 ? wallSeconds / audioSeconds : Double.NaN;
    }
}
