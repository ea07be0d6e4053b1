package io.github.qwenasr.eval;

import java.util.Objects;
import java.util.Optional;

/**
 * One utterance transcribed in one mode, and its score. A failed transcription is scored as an
 * empty hypothesis (every reference unit deleted), so failures never flatter the error rates.
 *
 * @param mode         the mode it ran in
 * @param item         the utterance
 * @param hypothesis   the transcript as the engine returned it ("" when it failed)
 * @param language     the language the engine reported ("" when unknown or failed)
 * @param score        the transcript scored against the reference
 * @param audioSeconds length of the audio (0 when it could not be opened)
 * @param seconds      wall time to open, decode and transcribe it
 * @param error        why it failed, one line; empty when it did not
 */
public record UtteranceResult(EvalMode mode, EvalItem item, String hypothesis, String language, Score score,
                              double audioSeconds, double seconds, Optional<String> error) {
    public UtteranceResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(hypothesis, "hypothesis");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(error, "error");
    }

    public boolean failed() {
        return error.isPresent();
    }
}
