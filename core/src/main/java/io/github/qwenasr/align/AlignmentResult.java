package io.github.qwenasr.align;

import java.util.List;

/**
 * The forced-alignment result of one (audio, transcript) pair (docs/model.md 7.6), with the raw classes
 * the model chose at the {@code <timestamp>} positions (before the repair of 7.5), for diagnostics.
 * Immutable.
 */
public record AlignmentResult(List<AlignedItem> items, List<Integer> rawClasses) {
    public AlignmentResult {
        items = List.copyOf(items);
        rawClasses = List.copyOf(rawClasses);
    }
}
