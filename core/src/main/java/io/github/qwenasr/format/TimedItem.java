package io.github.qwenasr.format;

import io.github.qwenasr.align.AlignedItem;
import java.util.List;
import java.util.Objects;

/**
 * One timed unit of a transcript (a word, or a single character in CJK text; docs/model.md 7.2, 7.6),
 * with its span in seconds. The format package keeps its own record so that writers do not depend
 * on how the times were produced; {@link #fromAligned} converts the forced aligner's items.
 */
public record TimedItem(String text, double start, double end) {
    public TimedItem {
        Objects.requireNonNull(text, "text");
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("item times must be finite: " + start + ", " + end);
        }
    }

    /** The same span, from the forced aligner's item. */
    public static TimedItem of(AlignedItem item) {
        return new TimedItem(item.text(), item.startSeconds(), item.endSeconds());
    }

    /** Converts a list of aligner items, keeping their order. */
    public static List<TimedItem> fromAligned(List<AlignedItem> items) {
        return items.stream().map(TimedItem::of).toList();
    }
}
