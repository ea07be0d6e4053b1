package io.github.qwenasr.align.japanese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.align.AlignmentUnits;
import io.github.qwenasr.align.WordSegmenter;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The Kuromoji segmenter on hand-checked sentences, and its registration with the core (docs/model.md 7.2). */
class KuromojiSegmenterTest {
    private final KuromojiSegmenter segmenter = new KuromojiSegmenter();

    // Expected words checked by hand against the IPADIC dictionary's usual analysis (particles apart,
    // polite auxiliaries apart, punctuation a word of its own).
    @Test
    void splitsParticlesAndAuxiliaries() {
        assertEquals(List.of("今日", "は", "いい", "天気", "です", "ね", "。"), segmenter.words("今日はいい天気ですね。"));
        assertEquals(List.of("猫", "が", "窓", "の", "外", "を", "見", "て", "いる", "。"), segmenter.words("猫が窓の外を見ている。"));
    }

    @Test
    void keepsKatakanaLoanwordsWhole() {
        assertEquals(List.of("コーヒー", "と", "紅茶"), segmenter.words("コーヒーと紅茶"));
    }

    // nagisa's habits that the segmenter imitates: single digits, and ましょう kept as one word.
    @Test
    void splitsDigitRunsAndKeepsVolitionalAuxiliaryWhole() {
        assertEquals(List.of("1", "5", "0", "0", "円"), segmenter.words("1500円"));
        assertEquals(List.of("行き", "ましょう"), segmenter.words("行きましょう"));
    }

    @Test
    void isDiscoveredForJapaneseThroughTheServiceLoader() {
        List<WordSegmenter> found = ServiceLoader.load(WordSegmenter.class).stream().map(ServiceLoader.Provider::get)
                .filter(s -> s.language().equalsIgnoreCase("japanese")).toList();
        assertEquals(1, found.size());
        assertTrue(found.getFirst() instanceof KuromojiSegmenter);
    }

    @Test
    void alignmentUnitsUseTheSegmenterAndDropPunctuation() {
        assertEquals(List.of("今日", "は", "いい", "天気", "です", "ね"), AlignmentUnits.split("今日はいい天気ですね。", "Japanese"));
        assertEquals(List.of("コーヒー", "と", "紅茶"), AlignmentUnits.split("「コーヒー」と、紅茶！", "JAPANESE"));
        assertEquals(List.of(), AlignmentUnits.split("。、！ ？", "japanese"));
        // Full-width forms are NFKC-normalised first, as nagisa does: the units are half-width.
        assertEquals(List.of("ABC", "の", "本", "を", "2", "冊"), AlignmentUnits.split("ＡＢＣの本を２冊", "Japanese"));
    }
}
