package io.github.qwenasr.eval;

import java.util.List;
import java.util.Objects;

/**
 * The utterances to transcribe, in the order they are run and reported.
 *
 * @param description what was read, for messages ("LibriSpeech test-clean: 2620 utterances")
 * @param items       the utterances, never empty
 */
public record Dataset(String description, List<EvalItem> items) {
    public Dataset {
        Objects.requireNonNull(description, "description");
        items = List.copyOf(items);
        if (items.isEmpty()) throw new IllegalArgumentException("a data set needs at least one utterance");
    }

    /** The first {@code n} utterances (all of them when there are fewer). */
    public Dataset limit(int n) {
        if (n < 1) throw new IllegalArgumentException("limit must be at least 1, got " + n);
        return n >= items.size() ? this : new Dataset(description, items.subList(0, n));
    }
}
