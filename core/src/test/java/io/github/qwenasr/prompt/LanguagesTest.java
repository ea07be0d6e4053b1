package io.github.qwenasr.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Supported languages and name normalisation (docs/model.md 5.3, 8.6, 9). */
class LanguagesTest {
    @Test
    void officialListAndOrder() {
        List<String> all = Languages.all();
        assertEquals(30, all.size());
        assertEquals(List.of("Chinese", "English", "Cantonese", "Arabic", "German", "French", "Spanish", "Portuguese",
                "Indonesian", "Italian", "Korean", "Russian", "Thai", "Vietnamese", "Japanese", "Turkish", "Hindi", "Malay",
                "Dutch", "Swedish", "Danish", "Finnish", "Polish", "Czech", "Filipino", "Persian", "Greek", "Romanian",
                "Hungarian", "Macedonian"), all);
        assertThrows(UnsupportedOperationException.class, () -> all.add("Klingon"));
    }

    @Test
    void normalize() {
        assertEquals("Chinese", Languages.normalize("cHINese"));
        assertEquals("English", Languages.normalize("  ENGLISH\t"));
        assertEquals("English", Languages.normalize("\u00a0english\u2007"));   // Python strip() whitespace
        assertEquals("SSa", Languages.normalize("ßA"));                      // Python: "ß".upper() == "SS"
        assertEquals("Élan", Languages.normalize("éLAN"));
        assertEquals("", Languages.normalize("   "));
        assertEquals("", Languages.normalize(null));
    }

    @Test
    void canonical() {
        assertEquals(Optional.of("Chinese"), Languages.canonical("cHINese"));
        assertEquals(Optional.of("Macedonian"), Languages.canonical(" macedonian "));
        assertEquals(Optional.empty(), Languages.canonical("en"));
        assertEquals(Optional.empty(), Languages.canonical(null));
        assertEquals(Optional.empty(), Languages.canonical(" \n"));
    }

    @Test
    void requireRejectsUnsupported() {
        assertEquals("Japanese", Languages.require("JAPANESE"));
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> Languages.require("en"));
        assertTrue(e.getMessage().startsWith("Unsupported language: En (supported: Chinese, English, Cantonese, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("Hungarian, Macedonian)"), e.getMessage());
        assertThrows(QwenAsrException.class, () -> Languages.require(""));
        assertThrows(QwenAsrException.class, () -> Languages.require(null));
    }

    @Test
    void forcedTreatsBlankAsNotForced() {
        assertEquals(Optional.empty(), Languages.forced(null));
        assertEquals(Optional.empty(), Languages.forced(""));
        assertEquals(Optional.empty(), Languages.forced(" \u00a0 "));
        assertEquals(Optional.of("French"), Languages.forced("french"));
        assertThrows(QwenAsrException.class, () -> Languages.forced("Klingon"));
    }
}
