package io.github.qwenasr.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Python str semantics (docs/model.md 8.6); expectations are what CPython 3.11 returns. */
class PyStringsTest {
    @Test
    void whitespaceSet() {
        for (int cp : new int[] {9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F, 32, 0x85, 0xA0, 0x1680, 0x2000, 0x2007,
                0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
            assertTrue(PyStrings.isPyWhitespace(cp), Integer.toHexString(cp));
        }
        for (int cp : new int[] {0, 8, 14, 0x1B, 'a', 0x180E, 0x200B, 0xFEFF, 0x2060}) {
            assertFalse(PyStrings.isPyWhitespace(cp), Integer.toHexString(cp));
        }
    }

    @Test
    void strip() {
        assertEquals("a b", PyStrings.strip("\u00a0\u3000 a b\u0085\u202f\n"));
        assertEquals("\u200ba\u200b", PyStrings.strip(" \u200ba\u200b "));   // zero-width space is not whitespace
        assertEquals("", PyStrings.strip(" \t "));
        assertEquals("😀", PyStrings.strip(" 😀 "));
        assertTrue(PyStrings.isBlank("\u2028\u2029"));
        assertFalse(PyStrings.isBlank(" x "));
    }

    @Test
    void split() {
        assertEquals(List.of("a", "b", "c"), PyStrings.split("  a \u00a0b\u3000\u3000c\n"));
        assertEquals(List.of(), PyStrings.split(" \t\n"));
        assertEquals(List.of("😀x", "y"), PyStrings.split("😀x\u2007y"));
    }

    @Test
    void splitlines() {
        assertEquals(List.of("a", "b", "c", "d"), PyStrings.splitlines("a\nb\r\nc\rd"));
        assertEquals(List.of("a", "", "b"), PyStrings.splitlines("a\n\nb\n"));
        assertEquals(List.of("", "a"), PyStrings.splitlines("\na"));
        assertEquals(List.of(), PyStrings.splitlines(""));
        assertEquals(List.of(""), PyStrings.splitlines("\n"));
        assertEquals(List.of("", ""), PyStrings.splitlines("\r\r"));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
                PyStrings.splitlines("1\u000b2\u000c3\u001c4\u001d5\u001e6\u00857\u20288\u20299\r\n10"));
        assertEquals(List.of("a\u001fb"), PyStrings.splitlines("a\u001fb"));   // U+001F is not a line break
    }
}
