package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict test-side readers of SRT and WebVTT text, independent of the writers. */
final class SubtitleParser {
    record Cue(long startMs, long endMs, List<String> lines) {
        String joined(String separator) {
            return String.join(separator, lines);
        }
    }

    private static final Pattern SRT_TIMES = Pattern.compile(
            "(\\d{2,}):(\\d{2}):(\\d{2}),(\\d{3}) --> (\\d{2,}):(\\d{2}):(\\d{2}),(\\d{3})");
    private static final Pattern VTT_TIMES = Pattern.compile(
            "(\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2,}):(\\d{2}):(\\d{2})\\.(\\d{3})");

    private SubtitleParser() {
    }

    /** SubRip: blocks of index (1, 2, ...), time line, one or more text lines, each block ending in a blank line. */
    static List<Cue> parseSrt(String srt) {
        List<Cue> cues = new ArrayList<>();
        if (srt.isEmpty()) return cues;
        assertTrue(srt.endsWith("\n\n"), "SRT must end with a blank line");
        assertFalse(srt.contains("\r"), "no carriage returns expected");
        String[] blocks = srt.substring(0, srt.length() - 2).split("\n\n", -1);
        for (String block : blocks) {
            String[] lines = block.split("\n", -1);
            assertTrue(lines.length >= 3, "SRT block needs index, times and text: " + block);
            assertEquals(String.valueOf(cues.size() + 1), lines[0], "SRT index");
            cues.add(cue(SRT_TIMES, lines));
        }
        return cues;
    }

    /** WebVTT: the header line, then blank-line separated cues of a time line and text lines (entities decoded). */
    static List<Cue> parseVtt(String vtt) {
        assertTrue(vtt.startsWith("WEBVTT\n"), "WebVTT header");
        List<Cue> cues = new ArrayList<>();
        String body = vtt.substring("WEBVTT\n".length());
        if (body.isEmpty()) return cues;
        assertTrue(body.startsWith("\n"), "blank line after the header");
        assertTrue(body.endsWith("\n"), "final newline");
        String[] blocks = body.substring(1, body.length() - 1).split("\n\n", -1);
        for (String block : blocks) {
            String[] lines = block.split("\n", -1);
            assertTrue(lines.length >= 2, "VTT cue needs times and text: " + block);
            for (int i = 1; i < lines.length; i++) {
                assertFalse(lines[i].contains("<") || lines[i].contains(">"), "raw markup in cue text: " + lines[i]);
                assertFalse(lines[i].contains("-->"), "arrow in cue text");
                lines[i] = lines[i].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            }
            String[] shifted = new String[lines.length + 1];
            shifted[0] = "";
            System.arraycopy(lines, 0, shifted, 1, lines.length);
            cues.add(cue(VTT_TIMES, shifted));
        }
        return cues;
    }

    /** lines[1] is the time line, lines[2..] the text. */
    private static Cue cue(Pattern times, String[] lines) {
        Matcher m = times.matcher(lines[1]);
        if (!m.matches()) fail("bad time line: " + lines[1]);
        List<String> text = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            assertFalse(lines[i].isBlank(), "blank text line inside a cue");
            text.add(lines[i]);
        }
        return new Cue(ms(m, 1), ms(m, 5), text);
    }

    private static long ms(Matcher m, int group) {
        long h = Long.parseLong(m.group(group));
        long min = Long.parseLong(m.group(group + 1));
        long s = Long.parseLong(m.group(group + 2));
        long frac = Long.parseLong(m.group(group + 3));
        assertTrue(min < 60 && s < 60, "minutes and seconds below 60");
        return ((h * 60 + min) * 60 + s) * 1000 + frac;
    }
}
