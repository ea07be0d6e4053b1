package io.github.qwenasr.stream;

/**
 * When the C engine gives up on the current hypothesis and re-anchors (docs/modes.md 6.8), judged on
 * the candidate tokens each non-final step:
 * <ul>
 *   <li>repetition: the last p tokens (p &lt;= {@value #MAX_PERIOD}) repeat at least
 *       {@value #MIN_REPEATS} times in a row at the candidate's end;</li>
 *   <li>stagnation: {@value #STAGNANT_STEPS} consecutive steps that ran all their decode
 *       iterations yet moved the candidate at most one token past the committed length;</li>
 *   <li>at least {@value #DROPPED_LIMIT} tokens dropped by the run suppression in one step.</li>
 * </ul>
 * Holds the stagnation count; one instance per session.
 */
final class DegeneracyDetector {
    static final int MAX_PERIOD = 6;
    static final int MIN_REPEATS = 4;
    static final int STAGNANT_STEPS = 4;
    static final int DROPPED_LIMIT = 8;

    enum Reason { NONE, REPETITION, STAGNATION, DROPPED_TOKENS }

    private int stagnant;

    /** Whether the first {@code length} tokens end in a period of at most 6 repeated at least 4 times. */
    static boolean repeatingTail(TokenView tokens, int length) {
        for (int p = 1; p <= MAX_PERIOD; p++) {
            int span = p * MIN_REPEATS;
            if (span > length) break;
            boolean periodic = true;
            for (int j = length - span; j < length - p && periodic; j++) {
                int a = tokens.get(j);
                periodic = a != TokenView.FORGOTTEN && a == tokens.get(j + p);
            }
            if (periodic) return true;
        }
        return false;
    }

    /**
     * Judges one non-final step. Cold-start steps (which commit nothing by design) neither count
     * towards nor reset stagnation.
     *
     * @param hitLimit       the step ran all its decode iterations (a stop id chosen last counts)
     * @param committedBefore committed candidate length before this step
     */
    Reason check(TokenView candidate, int candidateLength, int committedBefore, boolean hitLimit, int dropped,
                 boolean coldStart) {
        if (!coldStart) {
            stagnant = hitLimit && candidateLength <= committedBefore + 1 ? stagnant + 1 : 0;
        }
        if (repeatingTail(candidate, candidateLength)) return Reason.REPETITION;
        if (stagnant >= STAGNANT_STEPS) return Reason.STAGNATION;
        if (dropped >= DROPPED_LIMIT) return Reason.DROPPED_TOKENS;
        return Reason.NONE;
    }

    /** Forgets the stagnation count (after a re-anchor). */
    void reset() {
        stagnant = 0;
    }

    int stagnantSteps() {
        return stagnant;
    }
}
