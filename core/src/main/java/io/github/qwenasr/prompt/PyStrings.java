package io.github.qwenasr.prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * Python {@code str} semantics the reference relies on (docs/model.md 8.6): its whitespace set for
 * {@code strip()}/{@code split()}, and the line boundaries of {@code splitlines()}. Java's
 * {@code String.strip()} and {@code lines()} use narrower sets.
 */
public final class PyStrings {
    private PyStrings() {
    }

    /**
     * Python's {@code str.isspace()} for one code point: Java's {@link Character#isWhitespace}
     * plus U+0085 and the no-break spaces U+00A0, U+2007, U+202F.
     */
    public static boolean isPyWhitespace(int cp) {
        return Character.isWhitespace(cp) || cp == 0x85 || cp == 0xA0 || cp == 0x2007 || cp == 0x202F;
    }

    /** Python {@code s.strip()}: removes leading and trailing Python whitespace. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!isPyWhitespace(cp)) break;
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!isPyWhitespace(cp)) break;
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    /** Whether {@code s} is empty or only Python whitespace ({@code not s.strip()}). */
    public static boolean isBlank(String s) {
        return strip(s).isEmpty();
    }

    /** Python {@code s.split()}: the non-empty runs between Python whitespace. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            if (isPyWhitespace(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            while (i < n) {
                cp = s.codePointAt(i);
                if (isPyWhitespace(cp)) break;
                i += Character.charCount(cp);
            }
            out.add(s.substring(start, i));
        }
        return out;
    }

    /** Whether {@code c} ends a line for Python's {@code splitlines()}. */
    public static boolean isLineBoundary(char c) {
        return switch (c) {
            case '\n', '\r', '\u000B', '\u000C', '\u001C', '\u001D', '\u001E', '\u0085', '\u2028', '\u2029' -> true;
            default -> false;
        };
    }

    /**
     * Python {@code s.splitlines()} (no line ends kept): breaks at {@code \n}, {@code \r},
     * {@code \r\n}, U+000B, U+000C, U+001C–U+001E, U+0085, U+2028, U+2029; a final line break
     * does not start an extra empty line.
     */
    public static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int n = s.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!isLineBoundary(c)) {
                i++;
                continue;
            }
            out.add(s.substring(start, i));
            i += (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') ? 2 : 1;
            start = i;
        }
        if (start < n) out.add(s.substring(start));
        return out;
    }
}
