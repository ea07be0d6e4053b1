package io.github.qwenasr.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Levenshtein alignment of a hypothesis against a reference with unit costs, counting what kind of
 * edit each error is. Of the alignments with the fewest errors, the one chosen prefers, at every cell
 * of the table, a match or substitution over a deletion over an insertion (the total is the same
 * whichever way a tie goes; only the split between kinds can differ).
 *
 * <p>Memory is two rows of the table, so long transcripts (an hour of speech, tens of thousands of
 * characters) cost time proportional to the product of the lengths but no more memory than a row.
 */
public final class EditDistance {
    private EditDistance() {
    }

    /** Words aligned as whole tokens (equal strings match). */
    public static EditCounts words(List<String> reference, List<String> hypothesis) {
        Map<String, Integer> ids = new HashMap<>();
        return align(ids(reference, ids), ids(hypothesis, ids));
    }

    /** Any units given as integers (code points, token ids). */
    public static EditCounts align(int[] reference, int[] hypothesis) {
        int m = hypothesis.length;
        // For each cell: total cost, and the substitutions, deletions and insertions of the chosen path.
        int[] prevCost = new int[m + 1], prevSub = new int[m + 1], prevDel = new int[m + 1], prevIns = new int[m + 1];
        int[] cost = new int[m + 1], sub = new int[m + 1], del = new int[m + 1], ins = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prevCost[j] = j;
            prevIns[j] = j;
        }
        for (int i = 1; i <= reference.length; i++) {
            cost[0] = i;
            sub[0] = 0;
            del[0] = i;
            ins[0] = 0;
            int r = reference[i - 1];
            for (int j = 1; j <= m; j++) {
                boolean same = r == hypothesis[j - 1];
                int diagonal = prevCost[j - 1] + (same ? 0 : 1);
                int deletion = prevCost[j] + 1;
                int insertion = cost[j - 1] + 1;
                if (diagonal <= deletion && diagonal <= insertion) {
                    cost[j] = diagonal;
                    sub[j] = prevSub[j - 1] + (same ? 0 : 1);
                    del[j] = prevDel[j - 1];
                    ins[j] = prevIns[j - 1];
                } else if (deletion <= insertion) {
                    cost[j] = deletion;
                    sub[j] = prevSub[j];
                    del[j] = prevDel[j] + 1;
                    ins[j] = prevIns[j];
                } else {
                    cost[j] = insertion;
                    sub[j] = sub[j - 1];
                    del[j] = del[j - 1];
                    ins[j] = ins[j - 1] + 1;
                }
            }
            int[] t;
            t = prevCost; prevCost = cost; cost = t;
            t = prevSub; prevSub = sub; sub = t;
            t = prevDel; prevDel = del; del = t;
            t = prevIns; prevIns = ins; ins = t;
        }
        return new EditCounts(reference.length, prevSub[m], prevDel[m], prevIns[m]);
    }

    private static int[] ids(List<String> words, Map<String, Integer> ids) {
        int[] out = new int[words.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.computeIfAbsent(words.get(i), w -> ids.size());
        return out;
    }
}
