package io.github.qwenasr.format;

import java.util.List;

/**
 * One subtitle cue as the srt and vtt formats show it: its display span in milliseconds and its
 * lines of text ({@link TranscriptDocument#cues}).
 */
public record SubtitleCue(long startMs, long endMs, List<String> lines) {
    public SubtitleCue {
        lines = List.copyOf(lines);
    }
}
