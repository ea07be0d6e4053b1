package io.github.qwenasr.format;

import java.util.List;

/**
 * One subtitle cue: its display span in milliseconds and its lines of text.
 */
record SubtitleCue(long startMs, long endMs, List<String> lines) {
    public SubtitleCue {
        lines = List.copyOf(lines);
    }
}
