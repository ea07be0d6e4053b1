package io.github.qwenasr.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Repetition repair of docs/model.md 5.6, expectations worked out by hand from the rules. */
class RepetitionRepairTest {
    private static String fix(String s) {
        return RepetitionRepair.fix(s);
    }

    @Test
    void characterRuns() {
        assertEquals("a", fix("a".repeat(25)));
        assertEquals("a", fix("a".repeat(21)));
        assertEquals("a".repeat(20), fix("a".repeat(20)));               // not longer than 20
        assertEquals("xay", fix("x" + "a".repeat(30) + "y"));
        assertEquals("ab" + "c".repeat(5), fix("a".repeat(50) + "b".repeat(21) + "c".repeat(5)));
    }

    @Test
    void shortStringsUntouched() {
        assertEquals("ab".repeat(19), fix("ab".repeat(19)));             // 38 code points < 40
        assertEquals("abcdefghij".repeat(3), fix("abcdefghij".repeat(3)));
        assertEquals("", fix(""));
    }

    @Test
    void patternRuns() {
        assertEquals("ab", fix("ab".repeat(20)));                        // exactly 20 repeats
        assertEquals("abctail", fix("abc".repeat(25) + "tail"));          // kept once, then the tail
        assertEquals("xyabc", fix("xy" + "abc".repeat(25)));              // prefix emitted code point by code point
        assertEquals("abcd", fix("ab".repeat(20) + "cd".repeat(20)));     // the remainder is repaired too
        assertEquals("xy-z", fix("xy".repeat(25) + "-" + "z".repeat(30)));
        String twentyChars = "0123456789ABCDEFGHIJ";
        assertEquals(twentyChars, fix(twentyChars.repeat(20)));            // longest pattern length
        assertEquals("abc".repeat(19) + "d", fix("abc".repeat(19) + "d")); // 19 repeats untouched
        String twentyOne = "0123456789ABCDEFGHIJK";
        assertEquals(twentyOne.repeat(20), fix(twentyOne.repeat(20)));     // pattern of 21 is too long
    }

    @Test
    void cursorStopsFortyBeforeTheEnd() {
        // A run of exactly 20 is no character run; as a pattern run it needs the cursor to reach it.
        assertEquals("abcdefghijklmnopqrstu", fix("a".repeat(20) + "bcdefghijklmnopqrstu"));
        String prefix = "0123456789ABCDEFGHIJK";                           // 21 distinct code points
        String tail = prefix + "a".repeat(20);                             // n = 41, cursor stops at 1
        assertEquals(tail, fix(tail));
    }

    @Test
    void surrogatePairsCountAsOneCodePoint() {
        String smile = "😀";
        assertEquals(smile.repeat(20), fix(smile.repeat(20)));            // 20 code points: untouched
        assertEquals(smile, fix(smile.repeat(21)));
        assertEquals("😀b", fix("😀b".repeat(20)));
        assertEquals("𠀀x" .repeat(19), fix("𠀀x".repeat(19)));           // 38 code points although 57 chars
    }

    @Test
    void longInputsDoNotOverflowTheStack() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) sb.append((char) ('a' + i % 26)).append("xy".repeat(20));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5000; i++) expected.append((char) ('a' + i % 26)).append("xy");
        String out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> fix(sb.toString()));
        assertEquals(expected.toString(), out);
    }
}
