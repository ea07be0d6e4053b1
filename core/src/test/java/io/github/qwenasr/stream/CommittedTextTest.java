package io.github.qwenasr.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.tokenizer.PreTokenizerRegex;
import io.github.qwenasr.tokenizer.QwenTestTokenizers;
import io.github.qwenasr.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Committed text across token boundaries (docs/modes.md 3.3, 12.4): with the real Qwen3 vocabulary,
 * CJK characters and an emoji are split over byte-level tokens; fed one token at a time, the
 * text must never show U+FFFD or half a character, and each delta must extend the text.
 */
class CommittedTextTest {
    /** 交易 and 😀 are whole tokens; 🦩, 🫠 and 龘 are split over two or three byte-level tokens. */
    private static final String SAMPLE = "交易 😀🦩🫠 龘 ok";

    @Test
    void splitCharactersAreHeldUntilComplete() {
        Tokenizer tok = QwenTestTokenizers.qwen3(PreTokenizerRegex.QWEN);
        int[] ids = tok.encode(SAMPLE);
        // The fixture must really split a character: some token's bytes are not valid UTF-8 alone.
        boolean split = false;
        for (int id : ids) {
            byte[] b = tok.decodeBytes(new int[] {id}, true);
            if (!new String(b, StandardCharsets.UTF_8).equals(tok.decode(new int[] {id}, true))
                    || tok.decode(new int[] {id}, true).contains("\uFFFD")) split = true;
        }
        assertTrue(split, "no token of " + SAMPLE + " splits a character; the test would prove nothing");

        CommittedText text = new CommittedText();
        StringBuilder all = new StringBuilder();
        for (int id : ids) {
            String before = text.text();
            String delta = text.append(tok.decodeBytes(new int[] {id}, true));
            assertFalse(delta.contains("\uFFFD"), "U+FFFD after token " + id);
            assertEquals(before + delta, text.text(), "delta must be the new suffix");
            assertFalse(!delta.isEmpty() && Character.isHighSurrogate(delta.charAt(delta.length() - 1)),
                    "half a surrogate pair released");
            all.append(delta);
        }
        all.append(text.finish());
        assertEquals(SAMPLE, all.toString());
        assertEquals(SAMPLE, text.text());
    }

    @Test
    void tentativePreviewCompletesAPendingCharacter() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        CommittedText text = new CommittedText();
        assertEquals("a", text.append("a".getBytes(StandardCharsets.UTF_8)));
        // Two of the emoji's four bytes committed: nothing released yet.
        assertEquals("", text.append(new byte[] {emoji[0], emoji[1]}));
        assertEquals("a", text.text());
        // The tentative part supplies the rest: the preview shows the whole emoji.
        assertEquals("😀b", text.preview(new byte[] {emoji[2], emoji[3], 'b'}));
        // A preview that is still incomplete shows nothing of the pending character.
        assertEquals("", text.preview(new byte[] {emoji[2]}));
        assertEquals("😀", text.append(new byte[] {emoji[2], emoji[3]}));
    }

    @Test
    void whitespaceIsStrippedAtBothEnds() {
        CommittedText text = new CommittedText();
        assertEquals("", text.append(" \n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Hi", text.append(" Hi ".getBytes(StandardCharsets.UTF_8)));
        // Trailing space is held until something follows it.
        assertEquals("Hi", text.text());
        assertEquals(" ", text.preview(new byte[0]));
        assertEquals(" there", text.append("there".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", text.append("  ".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", text.finish());
        assertEquals("Hi there", text.text());
    }

    @Test
    void aTruncatedCharacterAtTheEndBecomesOneReplacement() {
        byte[] cjk = "交".getBytes(StandardCharsets.UTF_8);
        CommittedText text = new CommittedText();
        text.append("x".getBytes(StandardCharsets.UTF_8));
        assertEquals("", text.append(new byte[] {cjk[0], cjk[1]}));
        assertEquals("\uFFFD", text.finish());
        assertEquals("x\uFFFD", text.text());
    }
}
