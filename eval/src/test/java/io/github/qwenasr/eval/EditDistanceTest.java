package io.github.qwenasr.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Levenshtein counts on classic examples, worked out by hand (each alignment written in the comment). */
class EditDistanceTest {
    @Test
    void kittenToSitting() {
        // k->s, e->i, +g: three edits, and no other split reaches three (the longest common subsequence is "ittn").
        assertEquals(new EditCounts(6, 2, 0, 1), chars("kitten", "sitting"));
    }

    @Test
    void saturdayToSunday() {
        // s, -a, -t, u, r->n, d, a, y: one substitution, two deletions.
        assertEquals(new EditCounts(8, 1, 2, 0), chars("saturday", "sunday"));
    }

    @Test
    void wordsWithEveryKindOfError() {
        // the cat sat on the mat / the cat sit on mat: sat->sit, "the" before mat deleted.
        assertEquals(new EditCounts(6, 1, 1, 0), words("the cat sat on the mat", "the cat sit on mat"));
        // -the, fox->box, +high; with equal lengths the only other three-edit split, three substitutions,
        // would have to align the words in place, which leaves five mismatches.
        String ref = "the quick brown fox jumps";
        String hyp = "quick brown box jumps high";
        assertEquals(new EditCounts(5, 1, 1, 1), words(ref, hyp));
        assertEquals(3.0 / 5, words(ref, hyp).rate());
    }

    @Test
    void emptySides() {
        assertEquals(new EditCounts(3, 0, 3, 0), words("a b c", ""));
        assertEquals(new EditCounts(0, 0, 0, 2), words("", "a b"));
        assertEquals(EditCounts.ZERO, words("", ""));
        assertTrue(Double.isNaN(words("", "a b").rate()));
        assertEquals(0.0, words("same words", "same words").rate());
    }

    @Test
    void tieBetweenSubstitutionsAndAnInsertionDeletionPairGoesToSubstitutions() {
        // "a b" / "b a": two substitutions, or delete a, keep b, insert a; both cost two.
        assertEquals(new EditCounts(2, 2, 0, 0), words("a b", "b a"));
    }

    @Test
    void moreInsertionsThanReferenceGiveARateAboveOne() {
        assertEquals(new EditCounts(1, 0, 0, 2), words("yes", "yes yes yes"));
        assertEquals(2.0, words("yes", "yes yes yes").rate());
    }

    @Test
    void corpusRateIsTotalErrorsOverTotalWordsNotTheMeanOfRates() {
        EditCounts first = words("one two", "one three");                            // 1 error of 2 words
        EditCounts second = words("a b c d e f g h", "a b c d e f g h");            // 0 errors of 8 words
        EditCounts corpus = first.plus(second);
        assertEquals(new EditCounts(10, 1, 0, 0), corpus);
        assertEquals(0.1, corpus.rate(), 1e-12);          // the mean of 0.5 and 0 would be 0.25
    }

    @Test
    void scoreNormalisesBeforeAligning() {
        Score s = Score.of("HE HOPED THERE WOULD BE STEW FOR DINNER", "He hoped there would be stew, for dinner!");
        assertEquals(new EditCounts(8, 0, 0, 0), s.words());
        assertEquals(new EditCounts(32, 0, 0, 0), s.characters());
        Score zh = Score.of("今天天气很好", "今天天汽很好。");
        assertEquals(new EditCounts(6, 1, 0, 0), zh.words());
        assertEquals(new EditCounts(6, 1, 0, 0), zh.characters());
    }

    private static EditCounts chars(String ref, String hyp) {
        return EditDistance.align(ref.codePoints().toArray(), hyp.codePoints().toArray());
    }

    private static EditCounts words(String ref, String hyp) {
        return EditDistance.words(split(ref), split(hyp));
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }
}
