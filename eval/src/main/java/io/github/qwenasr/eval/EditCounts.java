package io.github.qwenasr.eval;

/**
 * The errors of a hypothesis against a reference, in words or in characters: the substitutions,
 * deletions (reference units missing from the hypothesis) and insertions (hypothesis units with no
 * reference unit) of a minimal alignment, and the length of the reference. Sums over utterances give
 * corpus-level rates (total errors over total reference length), not a mean of per-utterance rates.
 *
 * @param reference     reference units (words or characters)
 * @param substitutions reference units replaced by another unit
 * @param deletions     reference units left out
 * @param insertions    extra hypothesis units
 */
public record EditCounts(long reference, long substitutions, long deletions, long insertions) {
    public static final EditCounts ZERO = new EditCounts(0, 0, 0, 0);

    public EditCounts {
        if (reference < 0 || substitutions < 0 || deletions < 0 || insertions < 0) {
            throw new IllegalArgumentException("negative count");
        }
        if (substitutions + deletions > reference) {
            throw new IllegalArgumentException("more substituted and deleted units than the reference has");
        }
    }

    /** Substitutions, deletions and insertions together: the edit distance. */
    public long errors() {
        return substitutions + deletions + insertions;
    }

    /** Reference units the hypothesis got right. */
    public long hits() {
        return reference - substitutions - deletions;
    }

    /**
     * Errors over reference length (may exceed 1 with many insertions); NaN for an empty reference,
     * where a rate means nothing.
     */
    public double rate() {
        return reference == 0 ? Double.NaN : (double) errors() / reference;
    }

    /** The counts of both, as for a corpus made of both. */
    public EditCounts plus(EditCounts other) {
        return new EditCounts(reference + other.reference, substitutions + other.substitutions,
                deletions + other.deletions, insertions + other.insertions);
    }
}
