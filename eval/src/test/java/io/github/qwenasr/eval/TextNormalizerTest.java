package io.github.qwenasr.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scoring normalisation of docs/modes.md 13.3 on hand-written cases, each worked out from the rules. */
class TextNormalizerTest {
    @Test
    void punctuationBecomesSpaceAndCaseIsFolded() {
        assertEquals("hello world", TextNormalizer.normalize("Hello, World!"));
        assertEquals("well known a b", TextNormalizer.normalize("  Well-known:   \"A\" ... b; "));
        assertEquals("stop believing", TextNormalizer.normalize("Stop—believing."));
        assertEquals("", TextNormalizer.normalize(" ¿¡...!? "));
        assertEquals("", TextNormalizer.normalize(null));
    }

    @Test
    void apostropheKeptOnlyInsideAWord() {
        assertEquals("don't stop", TextNormalizer.normalize("DON'T stop"));
        // Typographic apostrophes become the plain one inside a word; at a word's edge they are quotes.
        assertEquals("o'brien's books", TextNormalizer.normalize("O\u2019Brien\u2019s books"));
        assertEquals("tis the students books", TextNormalizer.normalize("\u2019Tis the students' books"));
        assertEquals("rock n roll", TextNormalizer.normalize("rock 'n' roll"));
        assertEquals("it's", TextNormalizer.normalize("it\u02BCs"));
    }

    @Test
    void compatibilityFormsAndFullCaseFolding() {
        assertEquals("fullwidth abc 123", TextNormalizer.normalize("Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３"));
        assertEquals("fine office", TextNormalizer.normalize("\uFB01ne o\uFB03ce"));
        assertEquals("strasse", TextNormalizer.normalize("Straße"));
        assertEquals("strasse", TextNormalizer.normalize("STRASSE"));
        // Greek final sigma folds to the ordinary one, so the upper- and lower-case words agree.
        assertEquals("λόγοσ", TextNormalizer.normalize("ΛΌΓΟΣ"));
        assertEquals("λόγοσ", TextNormalizer.normalize("λόγος"));
    }

    @Test
    void annotationsInBracketsAreRemoved() {
        assertEquals("hello world", TextNormalizer.normalize("[noise] hello <unk> (laughs) world"));
        assertEquals("a b", TextNormalizer.normalize("a[breath]b"));
    }

    @Test
    void whitespaceAndInvisibleCharacters() {
        assertEquals("a b c", TextNormalizer.normalize("a\t\u00A0 b\n\u3000c\r\n"));
        // A soft hyphen and a zero-width joiner vanish; a zero-width space separates.
        assertEquals("cooperate ab c", TextNormalizer.normalize("co\u00ADoperate a\u200Db\u200Bc"));
    }

    @Test
    void combiningMarksStay() {
        // Devanagari vowel signs and virama are combining marks: the words stay whole.
        assertEquals("नमस्ते दुनिया", TextNormalizer.normalize("नमस्ते, दुनिया।"));
        // NFKC composes e + combining acute into é.
        assertEquals("café", TextNormalizer.normalize("Cafe\u0301"));
    }

    @Test
    void numbersAreNotSpelledOut() {
        assertEquals("3 5 percent of 20", TextNormalizer.normalize("3.5 percent of 20"));
    }

    @Test
    void hanKanaAreOneWordPerCharacterAndHangulIsNot() {
        String zh = TextNormalizer.normalize("你好，世界。");
        assertEquals("你好 世界", zh);
        assertEquals(List.of("你", "好", "世", "界"), TextNormalizer.words(zh));
        assertEquals(List.of("我", "用", "iphone", "手", "机"), TextNormalizer.words(TextNormalizer.normalize("我用iPhone手机")));
        // Half-width katakana become full-width under NFKC; the prolonged sound mark is a character of its own.
        assertEquals(List.of("コ", "ー", "ヒ", "ー", "を", "飲", "む"), TextNormalizer.words(TextNormalizer.normalize("ｺｰﾋｰを飲む")));
        assertEquals(List.of("안녕하세요", "세계"), TextNormalizer.words(TextNormalizer.normalize("안녕하세요, 세계!")));
        assertEquals(List.of(), TextNormalizer.words(""));
    }

    @Test
    void charactersLeaveSpacesOut() {
        assertArrayEquals("don'tstop".codePoints().toArray(), TextNormalizer.characters("don't stop"));
        // Code points, not UTF-16 units: a character beyond the BMP counts once.
        assertArrayEquals(new int[]{0x20BB7, 'a'}, TextNormalizer.characters("\uD842\uDFB7 a"));
    }
}
