package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attention over a block of rows (the query heads of one GQA group at consecutive positions, as the
 * prefill uses it; the query heads of one group at one position, as a decode step uses it) must
 * equal one query at a time. Both run the same operations in the same order,
 * but a lane reduction interpreted before C2 compiles it sums in another order than the compiled
 * one, so when the two methods sit at different JIT tiers the last bits may differ: the check allows
 * 1e-6 of the largest output (a wrong index or a skipped position is off by O(1)).
 */
class AttentionRowsTest {
    @ParameterizedTest
    @CsvSource({
        // hd, kv heads, group, queries, visible of the first query
        "128, 2, 2, 1, 1",
        "128, 2, 2, 2, 7",
        "128, 2, 2, 3, 40",
        "128, 2, 2, 8, 1",
        "128, 2, 2, 5, 47",
        "128, 2, 2, 8, 60",
        "128, 3, 2, 7, 203",
        "128, 2, 1, 5, 130",
        "128, 2, 4, 3, 97",
        "128, 1, 3, 8, 64",
        "64, 2, 2, 5, 9",
        "48, 2, 2, 3, 17"})
    void rowsEqualOneQueryAtATime(int hd, int kvHeads, int group, int nq, int firstVisible) {
        Random rnd = new Random(hd * 131 + group * 31 + nq * 17 + firstVisible);
        int heads = kvHeads * group;
        int stride = kvHeads * hd;
        int qd = heads * hd;
        int positions = firstVisible + nq - 1;
        float[] kc = random(rnd, positions * stride);
        float[] vc = random(rnd, positions * stride);
        float[] q = random(rnd, nq * qd);
        int kvh = kvHeads - 1; // the last kv head, so a wrong head offset reads other data
        int nr = nq * group;
        int[] offs = new int[nr];
        int[] visible = new int[nr];
        for (int i = 0; i < nq; i++) {
            for (int j = 0; j < group; j++) {
                offs[i * group + j] = i * qd + (kvh * group + j) * hd;
                visible[i * group + j] = firstVisible + i;
            }
        }
        float scale = (float) (1 / Math.sqrt(hd));
        float[] expected = new float[nq * qd];
        float[] scratch = new float[positions];
        for (int r = 0; r < nr; r++) {
            AttentionRows.head(q, offs[r], kc, vc, stride, kvh * hd, hd, visible[r], scale, scratch, 0, expected, offs[r]);
        }
        float[] actual = new float[nq * qd];
        AttentionRows.rows(q, offs, nr, kc, vc, stride, kvh * hd, hd, visible, scale, new float[nr * positions], 0, actual,
                offs);
        float max = 0;
        for (float e : expected) max = Math.max(max, Math.abs(e));
        assertArrayEquals(expected, actual, 1e-6f * Math.max(1, max));
    }

    static Stream<Arguments> groupShapes() {
        List<Arguments> all = new ArrayList<>();
        for (int hd : new int[] {128, 64, 20}) {
            for (int group = 1; group <= 4; group++) {
                for (int visible : new int[] {1, 2, 5, 47, 48, 49, 300}) all.add(Arguments.of(hd, group, visible));
            }
        }
        return all.stream();
    }

    /**
     * The decode-step path: the query heads of one kv head's group, all seeing the same positions.
     * Cache rows past the visible ones and the other kv heads' slices hold NaN, so reading them
     * shows; the scratch and output outside the group's share must stay untouched.
     */
    @ParameterizedTest
    @MethodSource("groupShapes")
    void groupEqualsOneQueryAtATime(int hd, int group, int visible) {
        Random rnd = new Random(hd * 7919 + group * 104729 + visible);
        int kvHeads = 3;
        int kvh = 1; // a middle kv head: a wrong offset in either direction reads NaN
        int heads = kvHeads * group;
        int stride = kvHeads * hd;
        int positions = visible + 3;
        float[] kc = new float[positions * stride];
        float[] vc = new float[positions * stride];
        java.util.Arrays.fill(kc, Float.NaN);
        java.util.Arrays.fill(vc, Float.NaN);
        for (int t = 0; t < visible; t++) {
            for (int i = 0; i < hd; i++) {
                kc[t * stride + kvh * hd + i] = (float) rnd.nextGaussian();
                vc[t * stride + kvh * hd + i] = (float) rnd.nextGaussian();
            }
        }
        float[] q = random(rnd, heads * hd);
        float scale = (float) (1 / Math.sqrt(hd));
        int first = kvh * group; // the group's first query head

        float[] expected = new float[heads * hd];
        float[] scratch = new float[visible];
        for (int r = 0; r < group; r++) {
            int off = (first + r) * hd;
            AttentionRows.head(q, off, kc, vc, stride, kvh * hd, hd, visible, scale, scratch, 0, expected, off);
        }

        float sentinel = -12345f;
        float[] actual = new float[heads * hd];
        java.util.Arrays.fill(actual, sentinel);
        float[] scores = new float[heads * visible];
        java.util.Arrays.fill(scores, sentinel);
        AttentionRows.group(q, first * hd, group, kc, vc, stride, kvh * hd, hd, visible, scale, scores, first * visible,
                actual, first * hd);

        float max = 0;
        for (float e : expected) max = Math.max(max, Math.abs(e));
        float tol = 1e-6f * Math.max(1, max);
        for (int i = 0; i < heads * hd; i++) {
            boolean mine = i >= first * hd && i < (first + group) * hd;
            if (mine) {
                assertEquals(expected[i], actual[i], tol, "output " + i);
            } else {
                assertEquals(sentinel, actual[i], "output " + i + " outside the group was written");
            }
        }
        for (int i = 0; i < heads * visible; i++) {
            if (i < first * visible || i >= (first + group) * visible) {
                assertEquals(sentinel, scores[i], "scratch " + i + " outside the group was written");
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
