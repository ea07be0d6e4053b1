package io.github.qwenasr.format;

import java.util.List;

/**
 * SubRip output: numbered cues (from 1), {@code HH:MM:SS,mmm --> HH:MM:SS,mmm}, the cue lines and a
 * blank line after each cue; cues as laid out by {@link CueBuilder}. Empty text gives an empty file.
 */
final class SrtWriter {
    private SrtWriter() {
    }

    public static String render(TranscriptDocument doc, double audioSeconds) {
        List<SubtitleCue> cues = CueBuilder.build(doc, audioSeconds);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            SubtitleCue cue = cues.get(i);
            b.append(i + 1).append('\n');
            b.append(Timecodes.format(cue.startMs(), ',')).append(" --> ")
                    .append(Timecodes.format(cue.endMs(), ',')).append('\n');
            for (String line : cue.lines()) b.append(line).append('\n');
            b.append('\n');
        }
        return b.toString();
    }
}
