package io.github.qwenasr.format;

import java.util.List;

/**
 * WebVTT output: the {@code WEBVTT} header, then each cue as {@code HH:MM:SS.mmm --> HH:MM:SS.mmm}
 * and its lines, followed by a blank line; cues as laid out by {@link CueBuilder}. The characters
 * WebVTT reserves in cue text ({@code & < >}) are written as character references.
 */
final class VttWriter {
    private VttWriter() {
    }

    public static String render(TranscriptDocument doc, double audioSeconds) {
        List<SubtitleCue> cues = CueBuilder.build(doc, audioSeconds);
        StringBuilder b = new StringBuilder("WEBVTT\n");
        for (SubtitleCue cue : cues) {
            b.append('\n');
            b.append(Timecodes.format(cue.startMs(), '.')).append(" --> ")
                    .append(Timecodes.format(cue.endMs(), '.')).append('\n');
            for (String line : cue.lines()) b.append(escape(line)).append('\n');
        }
        return b.toString();
    }

    static String escape(String line) {
        return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
