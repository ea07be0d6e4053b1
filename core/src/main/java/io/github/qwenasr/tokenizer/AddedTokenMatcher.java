package io.github.qwenasr.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in raw text, leftmost match first and the longest one at that position
 * (docs/model.md 6.3 step 1), with a character trie so that a prompt holding thousands of
 * {@code <|audio_pad|>} is scanned in one linear pass.
 */
final class AddedTokenMatcher {
    /** A match: the token, and the text span it consumes (wider than the content with l/rstrip). */
    record Match(AddedToken token, int start, int end) {
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        AddedToken token;
    }

    private final Node root = new Node();
    /** Characters that start some token: a cheap filter before any map look-up. */
    private final boolean[] startsToken = new boolean[Character.MAX_VALUE + 1];

    AddedTokenMatcher(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            Node n = root;
            String c = t.content();
            for (int i = 0; i < c.length(); i++) n = n.children.computeIfAbsent(c.charAt(i), k -> new Node());
            n.token = t;   // a later duplicate content replaces an earlier one
            startsToken[c.charAt(0)] = true;
        }
    }

    /** The first match at or after {@code from}, never extending left of {@code floor}; null if none. */
    Match find(String text, int from, int floor) {
        int len = text.length();
        for (int i = from; i < len; i++) {
            if (!startsToken[text.charAt(i)]) continue;
            Node n = root.children.get(text.charAt(i));
            if (n == null) continue;
            AddedToken best = n.token;
            int bestEnd = i + 1;
            int j = i + 1;
            while (j < len && (n = n.children.get(text.charAt(j))) != null) {
                j++;
                if (n.token != null) {
                    best = n.token;
                    bestEnd = j;
                }
            }
            if (best == null) continue;
            int start = i;
            int end = bestEnd;
            if (best.lstrip()) {
                while (start > floor && isWhiteSpace(text.codePointBefore(start))) {
                    start -= Character.charCount(text.codePointBefore(start));
                }
            }
            if (best.rstrip()) {
                while (end < len && isWhiteSpace(text.codePointAt(end))) {
                    end += Character.charCount(text.codePointAt(end));
                }
            }
            return new Match(best, start, end);
        }
        return null;
    }

    /** Unicode White_Space, the set the reference uses when stripping around added tokens. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }
}
