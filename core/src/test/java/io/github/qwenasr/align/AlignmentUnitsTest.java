package io.github.qwenasr.align;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsrException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/model.md 7.2: the default (whitespace + one unit per CJK ideograph) rule. */
class AlignmentUnitsTest {
    @Test
    void englishWordsLosePunctuationButKeepApostrophes() {
        assertEquals(List.of("And", "so", "my", "fellow", "Americans", "it's"),
                AlignmentUnits.split("And so, my fellow Americans -- it's", "English"));
    }

    @Test
    void mixedPieceSplitsAtEachIdeograph() {
        assertEquals(List.of("hello", "世", "界", "test"), AlignmentUnits.split("hello世界 test", "English"));
        assertEquals(List.of("a", "中", "b"), AlignmentUnits.split("a中b", "Chinese"));
    }

    @Test
    void chineseSentenceIsOneUnitPerCharacterWithoutPunctuation() {
        assertEquals(List.of("甚", "至", "出", "现", "交", "易", "几", "乎", "停", "滞", "的", "情", "况"),
                AlignmentUnits.split("甚至出现交易几乎停滞的情况。", "Chinese"));
    }

    @Test
    void kanaAndHangulAreNotIdeographs() {
        assertEquals(List.of("ひらがな"), AlignmentUnits.split("ひらがな", "Cantonese"));
        assertTrue(AlignmentUnits.isCjk(0x20000));
        assertTrue(AlignmentUnits.isCjk(0xF900));
        assertFalse(AlignmentUnits.isCjk(0xAC00));
    }

    @Test
    void numbersAndNonAsciiLettersAreKept() {
        assertEquals(List.of("2026", "Ünïcödé", "½"), AlignmentUnits.split(" 2026! «Ünïcödé» ½ ", "german"));
    }

    @Test
    void textWithoutKeptCharactersGivesNoUnits() {
        assertEquals(List.of(), AlignmentUnits.split("... !!! ?", "English"));
        assertEquals(List.of(), AlignmentUnits.split("", null));
    }

    @Test
    void japaneseWithoutASegmenterOnTheClassPathIsRefused() {
        QwenAsrException ja = assertThrows(QwenAsrException.class, () -> AlignmentUnits.split("今日は", "Japanese"));
        assertTrue(ja.getMessage().contains("needs the qwen-asr-align module"), ja.getMessage());
        assertThrows(QwenAsrException.class, () -> AlignmentUnits.split("今日は", "JAPANESE"));
    }

    // Expected lists: the official Qwen3ForceAlignProcessor.tokenize_korean (soynlp LTokenizer, qwen-asr 0.0.6).
    @Test
    void koreanWordsAreCutAfterTheirLongestDictionaryPrefix() {
        assertEquals(List.of("안녕", "하세요", "오늘", "은", "날씨", "가", "좋습니다", "대한민국", "서울"),
                AlignmentUnits.split("안녕하세요 오늘은 날씨가 좋습니다. 대한민국 서울", "Korean"));
        assertEquals(List.of("가격", "이", "올랐", "어요", "학교", "에서", "공부", "했다"),
                AlignmentUnits.split("가격이 올랐어요! 학교에서 공부했다", "korean"));
    }

    @Test
    void koreanShortWordsStayWholeAndPunctuationIsCleanedAfterTheCut() {
        assertEquals(List.of("나", "너", "우리", "들은", "abc가격", "가격"), AlignmentUnits.split("나 너 우리들은 abc가격 가격", "KOREAN"));
        assertEquals(List.of("힙합", "을", "좋아해"), AlignmentUnits.split("힙합을, 좋아해?", "Korean"));
    }
}
