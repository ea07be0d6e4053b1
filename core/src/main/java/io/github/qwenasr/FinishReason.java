package io.github.qwenasr;

import java.util.Locale;

/**
 * Why the decoding of a piece, a segment or a stream ended. Users of every engine of this kind
 * report transcripts cut at a token cap with no sign of it; every result here says how it ended.
 */
public enum FinishReason {
    /** The model ended its answer with an end token. */
    STOP,
    /**
     * Generation reached its token limit (or the model's position limit) before an end token: the
     * text may be cut short.
     */
    LENGTH,
    /**
     * The model repeated itself: the official repetition repair shortened the text (offline), or the
     * streaming degeneracy guard re-anchored the stream (docs/modes.md 6.8). Speech may be missing there.
     */
    REPETITION,
    /** The model produced no text (silence, or nothing it recognised). */
    EMPTY;

    /** The lower-case name used in JSON and on the command line ("stop", "length", ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
