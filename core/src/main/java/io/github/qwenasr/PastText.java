package io.github.qwenasr;

/**
 * Whether segmented transcription conditions each segment on the text already produced
 * (docs/modes.md 4.4, {@code --past-text}).
 */
public enum PastText {
    /** Condition on the (bounded) earlier text. */
    YES,
    /** Never condition. */
    NO,
    /** The mode's default: off for segmented offline transcription. */
    AUTO;

    /** Whether segmented offline transcription conditions on past text. */
    public boolean enabledForSegments() {
        return this == YES;
    }
}
