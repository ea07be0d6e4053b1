package io.github.qwenasr.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns timed items back into displayable words. Aligner units have lost their punctuation
 * (docs/model.md 7.2), so each item is matched, in order, against the letters and numbers of the
 * transcript text, and the punctuation and spacing between matches is given back to the
 * neighbouring words. When the items do not cover the text exactly (they came from another text),
 * the item texts are used as they are: joined without spaces between CJK characters and with single
 * spaces otherwise.
 */
final class DisplayWords {
    private DisplayWords() {
    }

    /** The display words of {@code items}, with punctuation and spacing from {@code text} when it matches. */
    static List<SubtitleWord> fromItems(String text, List<TimedItem> items) {
        if (items.isEmpty()) return List.of();
        List<SubtitleWord> matched = matchAgainstText(text, items);
        return matched != null ? matched : joinItemTexts(items);
    }

    /**
     * The words of a text with no times (all zero): whitespace-separated pieces, cut further between
     * CJK characters, punctuation kept with the preceding character (opening punctuation with the next).
     */
    static List<SubtitleWord> fromText(String text) {
        List<SubtitleWord> out = new ArrayList<>();
        for (String chunk : chunks(text)) {
            StringBuilder cur = new StringBuilder();
            boolean curUnspaced = false;
            boolean curHasWord = false;
            boolean first = true;
            for (int i = 0; i < chunk.length(); ) {
                int cp = chunk.codePointAt(i);
                i += Character.charCount(cp);
                boolean word = Scripts.isWordChar(cp);
                boolean unspaced = word && Scripts.isUnspaced(cp);
                // A CJK character starts a new word, and so does any letter after one.
                if (word && curHasWord && (unspaced || curUnspaced)) {
                    out.add(new SubtitleWord(cur.toString(), first && !out.isEmpty(), 0, 0));
                    first = false;
                    cur.setLength(0);
                    curHasWord = false;
                }
                cur.appendCodePoint(cp);
                if (word) {
                    curHasWord = true;
                    curUnspaced = unspaced;
                }
            }
            out.add(new SubtitleWord(cur.toString(), first && !out.isEmpty(), 0, 0));
        }
        return out;
    }

    /** The match described in the class comment, or null when the items do not fit the text. */
    private static List<SubtitleWord> matchAgainstText(String text, List<TimedItem> items) {
        int n = items.size();
        int[] from = new int[n];
        int[] to = new int[n];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            int[] wanted = items.get(i).text().codePoints().filter(Scripts::isWordChar).map(DisplayWords::fold).toArray();
            if (wanted.length == 0) return null;
            while (pos < text.length() && !Scripts.isWordChar(text.codePointAt(pos))) {
                pos += Character.charCount(text.codePointAt(pos));
            }
            from[i] = pos;
            int k = 0;
            while (k < wanted.length) {
                if (pos >= text.length()) return null;
                int cp = text.codePointAt(pos);
                if (Scripts.isWordChar(cp)) {
                    if (fold(cp) != wanted[k]) return null;
                    k++;
                } else if (Scripts.isSpace(cp)) {
                    return null; // a unit never spans whitespace
                }
                pos += Character.charCount(cp);
            }
            to[i] = pos;
        }
        String tail = text.substring(pos);
        if (tail.codePoints().anyMatch(Scripts::isWordChar)) return null;

        StringBuilder[] words = new StringBuilder[n];
        boolean[] spaced = new boolean[n];
        for (int i = 0; i < n; i++) words[i] = new StringBuilder(text.substring(from[i], to[i]));
        String head = text.substring(0, from[0]);
        List<String> headChunks = chunks(head);
        if (!headChunks.isEmpty()) {
            boolean glued = !Scripts.isSpace(head.codePointBefore(head.length()));
            words[0].insert(0, String.join(" ", headChunks) + (glued ? "" : " "));
        }
        for (int i = 1; i < n; i++) {
            String gap = text.substring(to[i - 1], from[i]);
            spaced[i] = gap.codePoints().anyMatch(Scripts::isSpace);
            distributeGap(gap, words[i - 1], words[i], spaced[i]);
        }
        List<String> tailChunks = chunks(tail);
        if (!tailChunks.isEmpty()) {
            boolean glued = !Scripts.isSpace(tail.codePointAt(0));
            words[n - 1].append(glued ? "" : " ").append(String.join(" ", tailChunks));
        }
        List<SubtitleWord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(word(words[i].toString(), spaced[i], items.get(i)));
        return out;
    }

    /**
     * Gives the punctuation between two matched words to its neighbours: text glued to the previous
     * word stays with it, text glued to the next word goes to it, and free-standing punctuation
     * (a dash between spaces) follows the previous word after a space. Without whitespace, opening
     * brackets and quotes go to the next word and everything else to the previous one.
     */
    private static void distributeGap(String gap, StringBuilder prev, StringBuilder next, boolean spaced) {
        if (gap.isEmpty()) return;
        if (!spaced) {
            int cut = 0;
            while (cut < gap.length() && !isOpening(gap.codePointAt(cut))) cut += Character.charCount(gap.codePointAt(cut));
            prev.append(gap, 0, cut);
            next.insert(0, gap.substring(cut));
            return;
        }
        List<String> parts = chunks(gap);
        int firstFree = 0;
        int lastFree = parts.size();
        if (!parts.isEmpty() && !Scripts.isSpace(gap.codePointAt(0))) {
            prev.append(parts.get(0));
            firstFree = 1;
        }
        String leading = "";
        if (lastFree > firstFree && !Scripts.isSpace(gap.codePointBefore(gap.length()))) {
            leading = parts.get(lastFree - 1);
            lastFree--;
        }
        for (int p = firstFree; p < lastFree; p++) prev.append(' ').append(parts.get(p));
        next.insert(0, leading);
    }

    private static boolean isOpening(int cp) {
        int type = Character.getType(cp);
        return type == Character.START_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION;
    }

    private static List<SubtitleWord> joinItemTexts(List<TimedItem> items) {
        List<SubtitleWord> out = new ArrayList<>(items.size());
        String previous = null;
        for (TimedItem item : items) {
            String t = String.join(" ", chunks(item.text()));
            if (t.isEmpty()) continue;
            boolean glued = previous != null && Scripts.isUnspaced(Scripts.lastCodePoint(previous))
                    && Scripts.isUnspaced(Scripts.firstCodePoint(t));
            out.add(word(t, previous != null && !glued, item));
            previous = t;
        }
        return out;
    }

    private static SubtitleWord word(String text, boolean spaceBefore, TimedItem item) {
        long start = Math.max(0, Math.round(item.start() * 1000));
        long end = Math.max(start, Math.round(item.end() * 1000));
        return new SubtitleWord(text, spaceBefore, start, end);
    }

    /** The whitespace-separated pieces of {@code s}, without empty ones. */
    static List<String> chunks(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Scripts.isSpace(cp)) {
                if (!cur.isEmpty()) out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.appendCodePoint(cp);
            }
        });
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    /** Case-insensitive comparison, so an item that was case-folded still finds its place. */
    private static int fold(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }
}
