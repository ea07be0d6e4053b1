package io.github.qwenasr.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.qwenasr.prompt.OutputParser.Parsed;
import org.junit.jupiter.api.Test;

/** parse_asr_output behaviour of docs/model.md 5.6. */
class OutputParserTest {
    /** Output the repetition repair leaves alone. */
    private static void check(String raw, String forced, String language, String text) {
        assertEquals(new Parsed(language, text, false), OutputParser.parse(raw, forced));
    }

    private static void checkRepaired(String raw, String forced, String language, String text) {
        assertEquals(new Parsed(language, text, true), OutputParser.parse(raw, forced));
    }

    @Test
    void headerAndText() {
        check("language English<asr_text>And so, my fellow Americans.", null, "English", "And so, my fellow Americans.");
        check("  language English<asr_text>  Hello  \n", null, "English", "Hello");
        check("language cHINESE<asr_text>你好", null, "Chinese", "你好");
        check("LANGUAGE FRENCH<asr_text>Bonjour", null, "French", "Bonjour");
        check("language Klingon<asr_text>nuqneH", null, "Klingon", "nuqneH");   // detected names are not validated
        check("language English<asr_text>a<asr_text>b", null, "English", "a<asr_text>b");   // split at the first tag
    }

    @Test
    void languageNone() {
        check("language None<asr_text>", null, "", "");
        check("language None<asr_text>  something  ", null, "", "something");
        check("LANGUAGE NONE\n<asr_text>", null, "", "");
    }

    @Test
    void newlineVariants() {
        check("language English\n<asr_text>Hello", null, "English", "Hello");
        check("language english\r\n\r\n<asr_text>Hi", null, "English", "Hi");
        check("\n\n  language  German \n\n<asr_text>Hallo", null, "German", "Hallo");
        check("foo\nlanguage Spanish<asr_text>Hola", null, "Spanish", "Hola");         // first line does not qualify
        check("language Thai\u2028language Greek<asr_text>x", null, "Thai", "x");      // U+2028 breaks lines
        check("language Thai\u001flanguage Greek<asr_text>x", null, "Thai\u001flanguage greek", "x");   // U+001F does not
        check("language <asr_text>x", null, "", "x");                                    // "language" alone: no name
        check("languageGerman<asr_text>x", null, "", "x");
    }

    @Test
    void noTag() {
        check("just some text", null, "", "just some text");
        check("\u00a0 just some text \u3000", null, "", "just some text");
    }

    @Test
    void forcedLanguage() {
        check("Hello world", "English", "English", "Hello world");
        check("  Hello world ", "English", "English", "Hello world");
        check("language English<asr_text>Hi", "English", "English", "language English<asr_text>Hi");   // all text
        check("   ", "English", "", "");                                                    // empty beats forced
        check("Hello", "", "", "Hello");                                                    // "" is not forced
    }

    @Test
    void emptyInput() {
        check(null, null, "", "");
        check("", null, "", "");
        check(" \n\t\u00a0", null, "", "");
    }

    @Test
    void repetitionRepairRunsBeforeSplitting() {
        checkRepaired("language English<asr_text>" + "ha".repeat(30), null, "English", "ha");
        checkRepaired("language English<asr_text>wow" + "!".repeat(40), null, "English", "wow!");
        checkRepaired("oh" + "no".repeat(25), "English", "English", "ohno");
        // Below the threshold (20 repeats) nothing changes, and the result says so.
        check("language English<asr_text>" + "ha".repeat(19), null, "English", "ha".repeat(19));
    }
}
