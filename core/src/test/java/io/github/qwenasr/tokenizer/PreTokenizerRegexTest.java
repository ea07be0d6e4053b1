package io.github.qwenasr.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.qwenasr.QwenAsrException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs/model.md 6.3a choice rule and the pre-token splits of both regexes. */
class PreTokenizerRegexTest {
    private static final PreTokenizerRegex QWEN = PreTokenizerRegex.QWEN;
    private static final PreTokenizerRegex PATCHED = PreTokenizerRegex.PATCHED;

    @Test
    void choiceFollowsTransformersVersion() {
        assertEquals(PATCHED, PreTokenizerRegex.choose(null));          // no field
        assertEquals(PATCHED, PreTokenizerRegex.choose(""));
        assertEquals(QWEN, PreTokenizerRegex.choose("4.40.0"));
        assertEquals(QWEN, PreTokenizerRegex.choose("4.57.2"));
        assertEquals(QWEN, PreTokenizerRegex.choose("4.57"));
        assertEquals(QWEN, PreTokenizerRegex.choose("4.57.2.dev0"));   // dev release sorts below 4.57.2
        assertEquals(QWEN, PreTokenizerRegex.choose("4.57.2rc1"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.57.2.post1"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.57.2+cpu"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.57.3"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.57.6"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.99.1"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("5.0.0.dev0"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("5.0.0rc1"));
        assertEquals(QWEN, PreTokenizerRegex.choose("5.0.0"));
        assertEquals(QWEN, PreTokenizerRegex.choose("5.0"));
        assertEquals(QWEN, PreTokenizerRegex.choose("5.2.1"));
    }

    @Test
    void oldVersionsNeedAKnownNonMistralModelType() {
        assertEquals(QWEN, PreTokenizerRegex.choose("4.50.0", "qwen3_asr"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.50.0", null));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.50.0", "mistral"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.50.0", "voxtral"));
        assertEquals(QWEN, PreTokenizerRegex.choose("5.0.0", "mistral"));
        assertEquals(PATCHED, PreTokenizerRegex.choose("4.57.6", "qwen3_asr"));
    }

    @Test
    void invalidVersionIsAnError() {
        assertThrows(QwenAsrException.class, () -> PreTokenizerRegex.choose("four point five"));
    }

    @Test
    void splits() {
        assertEquals(List.of("iPhone"), QWEN.split("iPhone"));
        assertEquals(List.of("i", "Phone"), PATCHED.split("iPhone"));
        assertEquals(List.of("don", "'t", " ", " stop", "\n\n", "now"), QWEN.split("don't  stop\n\nnow"));
        assertEquals(List.of("I", "'M"), QWEN.split("I'M"));
        assertEquals(List.of("Hello", " world", " ", "1", "2", "3"), QWEN.split("Hello world 123"));
        assertEquals(List.of("?\n", "/x"), QWEN.split("?\n/x"));
        assertEquals(List.of("?\n/", "x"), PATCHED.split("?\n/x"));
        // \s+(?!\S) stops before the last white space, which then prefixes the word
        assertEquals(List.of("a", "\u00a0", " x"), QWEN.split("a\u00a0 x"));
        assertEquals(List.of(), QWEN.split(""));
    }
}
