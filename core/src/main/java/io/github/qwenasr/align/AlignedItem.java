package io.github.qwenasr.align;

/**
 * One aligned unit (docs/model.md 7.6): its text and its span in seconds (whole milliseconds, as the
 * official {@code ForcedAlignItem}).
 */
public record AlignedItem(String text, double startSeconds, double endSeconds) {
}
