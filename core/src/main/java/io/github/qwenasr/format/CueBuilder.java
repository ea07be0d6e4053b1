package io.github.qwenasr.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups a transcript's timed items into subtitle cues. A cue holds at most {@link #MAX_LINES}
 * lines of at most {@link #MAX_LINE_COLUMNS} columns (a single longer word keeps a line of its
 * own), lasts at most {@link #MAX_CUE_MS} unless one item is longer, and ends after sentence
 * punctuation or a pause of {@link #PAUSE_MS}; a full cue preferably ends at clause punctuation. A cue ends with its last item but never after the
 * next cue starts, and is stretched to {@link #MIN_DISPLAY_MS} when there is room for it. Without
 * items the whole text is one cue over the whole audio.
 */
final class CueBuilder {
    public static final int MAX_LINE_COLUMNS = 42;
    public static final int MAX_LINES = 2;
    public static final long MAX_CUE_MS = 6000;
    public static final long MIN_DISPLAY_MS = 500;
    public static final long PAUSE_MS = 1000;

    private CueBuilder() {
    }

    /**
     * The cues of {@code doc}.
     *
     * @param audioSeconds the audio duration: the span of the single cue when there are no items, and
     *                     the latest end a short last cue is stretched to (0 when unknown)
     */
    public static List<SubtitleCue> build(TranscriptDocument doc, double audioSeconds) {
        if (!(audioSeconds >= 0) || Double.isInfinite(audioSeconds)) {
            throw new IllegalArgumentException("audio duration must be a finite number >= 0: " + audioSeconds);
        }
        long audioMs = Math.round(audioSeconds * 1000);
        if (doc.items().isEmpty()) {
            List<SubtitleWord> words = DisplayWords.fromText(doc.text());
            if (words.isEmpty()) return List.of();
            long end = audioMs > 0 ? audioMs : MIN_DISPLAY_MS;
            // Without times the 2-line limit cannot be kept: the whole text is one cue.
            return List.of(new SubtitleCue(0, end, wrap(words, Integer.MAX_VALUE)));
        }
        List<SubtitleWord> words = DisplayWords.fromItems(doc.text(), doc.items());
        return settleTimes(group(words), audioMs);
    }

    /** The lines of {@code words} filled greedily up to the column limit, or null when more than {@code maxLines}. */
    static List<String> wrap(List<SubtitleWord> words, int maxLines) {
        List<StringBuilder> lines = new ArrayList<>();
        for (SubtitleWord w : words) {
            if (!lines.isEmpty()) {
                StringBuilder last = lines.getLast();
                String sep = w.spaceBefore() ? " " : "";
                if (Scripts.width(last + sep + w.text()) <= MAX_LINE_COLUMNS) {
                    last.append(sep).append(w.text());
                    continue;
                }
            }
            if (lines.size() >= maxLines) return null;
            lines.add(new StringBuilder(w.text()));
        }
        return lines.stream().map(StringBuilder::toString).toList();
    }

    /** Whether {@code words} make one cue: at most two lines, and not too long unless a single word. */
    private static boolean fitsOneCue(List<SubtitleWord> words) {
        if (words.size() > 1 && words.getLast().endMs() - words.getFirst().startMs() > MAX_CUE_MS) return false;
        return wrap(words, MAX_LINES) != null;
    }

    /**
     * Greedy grouping. When a cue is full, its words after the last clause punctuation in its second
     * half move on to the next cue, so that a cue rather ends at a comma than in mid-phrase.
     */
    private static List<List<SubtitleWord>> group(List<SubtitleWord> words) {
        List<List<SubtitleWord>> groups = new ArrayList<>();
        List<SubtitleWord> cur = new ArrayList<>();
        for (SubtitleWord w : words) {
            if (cur.isEmpty()) {
                cur.add(w);
                continue;
            }
            SubtitleWord prev = cur.getLast();
            if (endsSentence(prev.text()) || w.startMs() - prev.endMs() >= PAUSE_MS) {
                groups.add(cur);
                cur = new ArrayList<>(List.of(w));
                continue;
            }
            cur.add(w);
            if (fitsOneCue(cur)) continue;
            cur.removeLast();
            List<SubtitleWord> next = carriedOver(cur, w);
            cur.subList(cur.size() - (next.size() - 1), cur.size()).clear();
            groups.add(cur);
            cur = next;
        }
        if (!cur.isEmpty()) groups.add(cur);
        return groups;
    }

    /** The words that start the next cue: {@code w}, preceded by the clause tail of the full cue when that fits. */
    private static List<SubtitleWord> carriedOver(List<SubtitleWord> full, SubtitleWord w) {
        for (int j = full.size() - 2; j >= 0 && 2 * (j + 1) >= full.size(); j--) {
            if (!endsClause(full.get(j).text())) continue;
            List<SubtitleWord> next = new ArrayList<>(full.subList(j + 1, full.size()));
            next.add(w);
            if (fitsOneCue(next)) return next;
            break;
        }
        return new ArrayList<>(List.of(w));
    }

    /**
     * Cue times: starts never go backwards; each end lies between its start and the next start,
     * stretched to the minimum display time when that fits (the last cue up to the audio end).
     */
    private static List<SubtitleCue> settleTimes(List<List<SubtitleWord>> groups, long audioMs) {
        int n = groups.size();
        long[] start = new long[n];
        for (int i = 0; i < n; i++) {
            start[i] = Math.max(groups.get(i).getFirst().startMs(), i > 0 ? start[i - 1] : 0);
        }
        List<SubtitleCue> cues = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long rawEnd = groups.get(i).getLast().endMs();
            long limit = i + 1 < n ? start[i + 1] : (audioMs > 0 ? Math.max(audioMs, rawEnd) : Long.MAX_VALUE);
            long end = Math.min(Math.max(rawEnd, start[i]), limit);
            if (end - start[i] < MIN_DISPLAY_MS) end = Math.max(end, Math.min(start[i] + MIN_DISPLAY_MS, limit));
            List<String> lines = wrap(groups.get(i), MAX_LINES);
            cues.add(new SubtitleCue(start[i], end, lines));
        }
        return cues;
    }

    /** Whether a word ends a sentence: final punctuation, possibly followed by closing quotes or brackets. */
    static boolean endsSentence(String word) {
        return ".!?…。！？．؟۔।".indexOf(lastMark(word)) >= 0;
    }

    /** Whether a word ends a clause: a comma, semicolon, colon or dash, possibly followed by closing quotes. */
    static boolean endsClause(String word) {
        return ",;:，、；：—–".indexOf(lastMark(word)) >= 0;
    }

    /** The last character of a word before any closing quotes or brackets (-1 when there is none). */
    private static int lastMark(String word) {
        int i = word.length();
        while (i > 0) {
            int cp = word.codePointBefore(i);
            int type = Character.getType(cp);
            if (type == Character.END_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION || cp == '"' || cp == '\'') {
                i -= Character.charCount(cp);
                continue;
            }
            return cp;
        }
        return -1;
    }
}
