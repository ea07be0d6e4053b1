package io.github.qwenasr.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One utterance of a data set.
 *
 * @param id        its name in reports: the LibriSpeech utterance id, or the path as the TSV wrote it
 * @param audio     the audio file (any format {@code AudioInput} opens)
 * @param reference the reference transcript as written in the data set (normalised only when scored)
 */
public record EvalItem(String id, Path audio, String reference) {
    public EvalItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(reference, "reference");
    }
}
