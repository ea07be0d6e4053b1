package io.github.qwenasr.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The C engine's commit, de-dup, run-suppression and degeneracy rules (docs/modes.md 6.2 step 7,
 * 6.6-6.8) as pure functions, on hand-made token sequences whose expected outcome follows from
 * the rules' text.
 */
class CommitRulesTest {
    private static final int UNFIXED = 2;
    private static final int ROLLBACK = 5;

    @Test
    void candidateLengthFollowsSection66() {
        // Cold start commits nothing, whatever the hypothesis.
        assertEquals(0, CommitPolicy.candidateLength(20, 0, false, UNFIXED, ROLLBACK));
        assertEquals(0, CommitPolicy.candidateLength(20, 1, false, UNFIXED, ROLLBACK));
        // Later steps keep the rollback tail tentative.
        assertEquals(15, CommitPolicy.candidateLength(20, 2, false, UNFIXED, ROLLBACK));
        // A short hypothesis still moves: n - 1 when n - rollback would be <= 0.
        assertEquals(2, CommitPolicy.candidateLength(3, 5, false, UNFIXED, ROLLBACK));
        assertEquals(4, CommitPolicy.candidateLength(5, 5, false, UNFIXED, ROLLBACK));
        assertEquals(0, CommitPolicy.candidateLength(0, 5, false, UNFIXED, ROLLBACK));
        assertEquals(0, CommitPolicy.candidateLength(1, 5, false, UNFIXED, ROLLBACK));
        // The final step commits everything, even during the cold start.
        assertEquals(20, CommitPolicy.candidateLength(20, 0, true, UNFIXED, ROLLBACK));
        assertEquals(3, CommitPolicy.candidateLength(3, 9, true, UNFIXED, ROLLBACK));
    }

    @Test
    void growingCandidateEmitsOnlyTheNewTokens() {
        CommitPolicy.Decision d = CommitPolicy.commit(TokenView.of(1, 2, 3, 4, 5), TokenView.of(1, 2, 3, 4, 5, 6, 7),
                new int[] {1, 2, 3, 4, 5});
        assertEquals(new CommitPolicy.Decision(5, 5, 7, false), d);
    }

    @Test
    void revisionIsAppendedNotRetracted() {
        // The hypothesis changed after token 3: the new tokens from there are emitted again.
        CommitPolicy.Decision d = CommitPolicy.commit(TokenView.of(1, 2, 3, 90, 91), TokenView.of(1, 2, 3, 4, 5, 6),
                new int[] {1, 2, 3, 90, 91});
        assertEquals(new CommitPolicy.Decision(3, 3, 6, false), d);
    }

    @Test
    void shrinkingCandidateEmitsNothing() {
        CommitPolicy.Decision d = CommitPolicy.commit(TokenView.of(1, 2, 3, 4, 5, 6), TokenView.of(1, 2, 3, 4),
                new int[] {1, 2, 3, 4, 5, 6});
        assertEquals(new CommitPolicy.Decision(4, 4, 4, true), d);
    }

    @Test
    void shrinkThenRegrowEmitsEachTokenOnce() {
        // Step A commits [1, 2, 3]; step B's candidate is only [1] (the n-1 rule of a short
        // hypothesis, or a step that generated nothing); step C's is [1, 2, 3, 4]. C would shrink the
        // committed candidate to [1] and emit 2, 3 again at step C (an overlap of 2 < 4 is not
        // de-duplicated); here the committed candidate stays [1, 2, 3] and step C emits only 4.
        CommitPolicy.Decision b = CommitPolicy.commit(TokenView.of(1, 2, 3), TokenView.of(1), new int[] {1, 2, 3});
        assertEquals(new CommitPolicy.Decision(1, 1, 1, true), b);
        CommitPolicy.Decision c = CommitPolicy.commit(TokenView.of(1, 2, 3), TokenView.of(1, 2, 3, 4), new int[] {1, 2, 3});
        assertEquals(new CommitPolicy.Decision(3, 3, 4, false), c);
        // A candidate that differs is a revision, not a shrink: the committed candidate is replaced.
        CommitPolicy.Decision r = CommitPolicy.commit(TokenView.of(1, 2, 3), TokenView.of(1, 5), new int[] {1, 2, 3});
        assertEquals(new CommitPolicy.Decision(1, 1, 2, false), r);
    }

    @Test
    void overlapOfFourOrMoreIsSkipped() {
        // After a re-anchor-like divergence the candidate restarts with text already emitted.
        int[] emitted = {50, 51, 10, 11, 12, 13};
        CommitPolicy.Decision d = CommitPolicy.commit(TokenView.of(), TokenView.of(10, 11, 12, 13, 14, 15), emitted);
        assertEquals(new CommitPolicy.Decision(0, 4, 6, false), d);
    }

    @Test
    void overlapShorterThanFourIsEmittedAgain() {
        int[] emitted = {50, 51, 52, 12, 13};
        CommitPolicy.Decision d = CommitPolicy.commit(TokenView.of(), TokenView.of(12, 13, 14), emitted);
        assertEquals(new CommitPolicy.Decision(0, 0, 3, false), d);
        // Three matching tokens are not enough either.
        int[] three = {50, 11, 12, 13};
        assertEquals(0, CommitPolicy.overlap(three, TokenView.of(11, 12, 13, 14, 15), 0, 5));
    }

    @Test
    void overlapPrefersTheLongestMatch() {
        int[] emitted = {9, 5, 6, 5, 6, 5, 6, 5, 6};
        // k = 8, 6 and 4 all match; the largest wins.
        assertEquals(8, CommitPolicy.overlap(emitted, TokenView.of(5, 6, 5, 6, 5, 6, 5, 6, 7), 0, 9));
    }

    @Test
    void overlapStartsAtTheCommonPrefix() {
        int[] emitted = {1, 2, 3, 20, 21, 22, 23};
        // lcp = 3 against the old candidate; then the next 4 candidate tokens equal the last 4 emitted.
        CommitPolicy.Decision d = CommitPolicy.commit(TokenView.of(1, 2, 3, 30), TokenView.of(1, 2, 3, 20, 21, 22, 23, 24),
                emitted);
        assertEquals(new CommitPolicy.Decision(3, 7, 8, false), d);
    }

    @Test
    void overlapLongerThan48IsNotFound() {
        // Candidate = the last 50 emitted tokens + one new: only k <= 48 is tried, and the last k emitted
        // tokens never equal the candidate's first k for k < 50 (all tokens distinct).
        int[] emitted = IntStream.range(100, 160).toArray();
        int[] cand = IntStream.concat(IntStream.range(110, 160), IntStream.of(999)).toArray();
        assertEquals(0, CommitPolicy.overlap(emitted, TokenView.of(cand), 0, cand.length));
        // With exactly 48 overlapping tokens the match is found.
        int[] cand48 = IntStream.concat(IntStream.range(112, 160), IntStream.of(999)).toArray();
        assertEquals(48, CommitPolicy.overlap(emitted, TokenView.of(cand48), 0, cand48.length));
    }

    @Test
    void overlapIsBoundedByTheCandidateRemainder() {
        int[] emitted = {1, 2, 3, 4, 5, 6};
        // Only 5 candidate tokens remain after lcp, so k <= 5 (and the match of 4 at k = 4 is found).
        assertEquals(4, CommitPolicy.overlap(emitted, TokenView.of(3, 4, 5, 6, 7), 0, 5));
        assertEquals(0, CommitPolicy.overlap(emitted, TokenView.of(3, 4, 5, 6, 7), 2, 5));
    }

    @Test
    void forgottenFrontCountsAsAgreed() {
        TokenWindow a = new TokenWindow();
        a.appendAll(new int[] {1, 2, 3, 4, 5, 6});
        TokenWindow b = new TokenWindow();
        b.appendAll(new int[] {1, 2, 3, 4, 5, 6, 7});
        a.dropBefore(3);
        b.dropBefore(3);
        assertEquals(6, CommitPolicy.commonPrefix(a.view(0, 6), b.view(0, 7)));
        // Forgotten on one side only: no agreement there.
        TokenWindow c = new TokenWindow();
        c.appendAll(new int[] {1, 2, 3, 4, 5, 6, 7});
        assertEquals(0, CommitPolicy.commonPrefix(a.view(0, 6), c.view(0, 7)));
    }

    @Test
    void runsLongerThanTwelveLoseTheirExcess() {
        // 10 sevens in the prefix, 4 more generated: the 13th and 14th are dropped.
        int[] prefix = {1, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        RunSuppressor.Result r = RunSuppressor.filter(prefix, new int[] {7, 7, 7, 7, 8, 7}, 12);
        assertArrayEquals(new int[] {7, 7, 8, 7}, r.kept());
        assertEquals(2, r.dropped());
        // Exactly 12 is allowed.
        RunSuppressor.Result ok = RunSuppressor.filter(new int[0], new int[] {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5}, 12);
        assertEquals(0, ok.dropped());
        assertEquals(13, ok.kept().length);
        // A dropped token keeps the run going: 20 identical new tokens keep 12.
        RunSuppressor.Result many = RunSuppressor.filter(new int[0], IntStream.generate(() -> 3).limit(20).toArray(), 12);
        assertEquals(12, many.kept().length);
        assertEquals(8, many.dropped());
    }

    @Test
    void repetitionNeedsFourCopiesOfAPeriodUpToSix() {
        assertTrue(DegeneracyDetector.repeatingTail(TokenView.of(9, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3), 13));
        assertFalse(DegeneracyDetector.repeatingTail(TokenView.of(9, 1, 2, 3, 1, 2, 3, 1, 2, 3), 10));
        assertTrue(DegeneracyDetector.repeatingTail(TokenView.of(8, 5, 5, 5, 5), 5));
        assertFalse(DegeneracyDetector.repeatingTail(TokenView.of(8, 5, 5, 5), 4));
        int[] six = IntStream.range(0, 24).map(i -> 10 + i % 6).toArray();
        assertTrue(DegeneracyDetector.repeatingTail(TokenView.of(six), 24));
        int[] seven = IntStream.range(0, 28).map(i -> 10 + i % 7).toArray();
        assertFalse(DegeneracyDetector.repeatingTail(TokenView.of(seven), 28));
        // Only the candidate (the first `length` tokens) is judged.
        assertFalse(DegeneracyDetector.repeatingTail(TokenView.of(1, 2, 5, 5, 5, 5), 2));
    }

    @Test
    void stagnationNeedsFourConsecutiveFullSteps() {
        DegeneracyDetector d = new DegeneracyDetector();
        TokenView cand = TokenView.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // Full steps (all iterations used) that move the candidate by <= 1 token.
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 10, 10, true, 0, false));
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 11, 10, true, 0, false));
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 9, 11, true, 0, false));
        // A step that advanced two tokens breaks the sequence.
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 11, 9, true, 0, false));
        assertEquals(0, d.stagnantSteps());
        for (int i = 0; i < 3; i++) assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 10, 10, true, 0, false));
        // A step that stopped early (not hitting the limit) also breaks it.
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 10, 10, false, 0, false));
        for (int i = 0; i < 3; i++) assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 10, 10, true, 0, false));
        assertEquals(DegeneracyDetector.Reason.STAGNATION, d.check(cand, 10, 10, true, 0, false));
        d.reset();
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 10, 10, true, 0, false));
    }

    @Test
    void eightDroppedTokensForceAReanchor() {
        DegeneracyDetector d = new DegeneracyDetector();
        TokenView cand = TokenView.of(1, 2, 3);
        assertEquals(DegeneracyDetector.Reason.NONE, d.check(cand, 3, 0, false, 7, false));
        assertEquals(DegeneracyDetector.Reason.DROPPED_TOKENS, d.check(cand, 3, 0, false, 8, false));
    }
}
