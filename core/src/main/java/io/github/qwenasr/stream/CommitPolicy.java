package io.github.qwenasr.stream;

/**
 * The C engine's commit rule, "token delta without retraction" (docs/modes.md 6.6, 6.7), as pure
 * functions over token sequences.
 *
 * <ol>
 *   <li>The candidate is the part of the hypothesis that may be committed: nothing during the
 *       first unfixed chunks, all of it on the final step, otherwise all but the rollback tail
 *       (but at least one token less than a non-empty hypothesis when the tail would swallow it).</li>
 *   <li>lcp = common prefix of the previously committed candidate and the new one; the committed
 *       candidate becomes the new one. Unlike C, a candidate that is merely shorter (a prefix of the
 *       committed one) leaves the committed candidate as it is: C lets it shrink, and when the same
 *       tokens come back they are emitted a second time (de-dup only catches repeats of 4+ tokens),
 *       e.g. after the n-1 rule of short hypotheses or after steps that generated nothing.</li>
 *   <li>Emission starts at lcp, advanced by the longest k in [4, 48] for which the last k emitted
 *       tokens equal the candidate's next k tokens (overlap de-dup), and runs to the candidate's end.</li>
 * </ol>
 * Text already emitted is never retracted; a revision is appended after it.
 */
final class CommitPolicy {
    /** Shortest overlap the de-dup removes. */
    static final int MIN_OVERLAP = 4;
    /** Longest overlap the de-dup looks for. */
    static final int MAX_OVERLAP = 48;

    private CommitPolicy() {}

    /**
     * Which candidate tokens to emit: [emitFrom, emitTo); lcp is the agreed prefix with the old
     * candidate; keepCommitted: the candidate is a strict prefix of the committed one, which stays.
     */
    record Decision(int lcp, int emitFrom, int emitTo, boolean keepCommitted) {}

    /** Candidate length for a hypothesis of {@code textTokens} text tokens (6.6). */
    static int candidateLength(int textTokens, int chunkIndex, boolean isFinal, int unfixedChunks, int rollback) {
        if (isFinal) return textTokens;
        if (chunkIndex < unfixedChunks) return 0;
        int n = textTokens - rollback;
        if (n <= 0 && textTokens > 0) n = textTokens - 1;
        return Math.max(0, n);
    }

    /** Length of the common prefix of two sequences (positions both forgot count as equal). */
    static int commonPrefix(TokenView a, TokenView b) {
        int n = Math.min(a.length(), b.length());
        int i = Math.min(n, Math.min(a.firstKnown(), b.firstKnown()));
        for (; i < n; i++) {
            if (a.get(i) != b.get(i)) return i;
        }
        return n;
    }

    /**
     * Overlap de-dup: the largest k, from min(48, candidate end − from, emitted) down to 4, such
     * that the last k emitted tokens equal candidate[from, from+k); 0 when none.
     *
     * @param emitted the most recently emitted tokens, oldest first (at least the last 48)
     */
    static int overlap(int[] emitted, TokenView candidate, int from, int candidateEnd) {
        int kMax = Math.min(MAX_OVERLAP, Math.min(candidateEnd - from, emitted.length));
        for (int k = kMax; k >= MIN_OVERLAP; k--) {
            int e0 = emitted.length - k;
            boolean same = true;
            for (int j = 0; j < k && same; j++) same = emitted[e0 + j] == candidate.get(from + j);
            if (same) return k;
        }
        return 0;
    }

    /** Steps 1-4 of 6.7 for a new candidate (its full length is committed). */
    static Decision commit(TokenView committed, TokenView candidate, int[] emitted) {
        int lcp = commonPrefix(committed, candidate);
        int end = candidate.length();
        int from = lcp + overlap(emitted, candidate, lcp, end);
        return new Decision(lcp, from, end, lcp == end && end < committed.length());
    }
}
