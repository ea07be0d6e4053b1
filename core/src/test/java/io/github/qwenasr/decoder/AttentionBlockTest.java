package io.github.qwenasr.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attention over several queries at once must equal one query at a time. Both run the same
 * operations in the same order, but a lane reduction interpreted before C2 compiles it sums in
 * another order than the compiled one, so when the two methods sit at different JIT tiers the last
 * bits may differ: the check allows 1e-6 of the largest output (a wrong index is off by O(1)).
 */
class AttentionBlockTest {
    @ParameterizedTest
    @CsvSource({"128, 1, 1", "128, 2, 7", "128, 3, 40", "128, 4, 1", "128, 4, 203", "64, 4, 9", "48, 3, 17"})
    void blockEqualsOneHeadAtATime(int hd, int nq, int firstVisible) {
        Random rnd = new Random(hd * 131 + nq * 17 + firstVisible);
        int kvHeads = 2;
        int stride = kvHeads * hd;
        int positions = firstVisible + nq;
        float[] kc = random(rnd, positions * stride);
        float[] vc = random(rnd, positions * stride);
        float[] q = random(rnd, nq * hd);
        int kvOff = hd; // the second kv head
        int[] qOff = new int[nq];
        int[] visible = new int[nq];
        int[] outOff = new int[nq];
        for (int r = 0; r < nq; r++) {
            qOff[r] = r * hd;
            visible[r] = firstVisible + r;
            outOff[r] = r * hd;
        }
        float scale = (float) (1 / Math.sqrt(hd));
        float[] expected = new float[nq * hd];
        float[] scratch = new float[positions];
        for (int r = 0; r < nq; r++) {
            Attention.head(q, qOff[r], kc, vc, stride, kvOff, hd, visible[r], scale, scratch, 0, expected, outOff[r]);
        }
        float[] actual = new float[nq * hd];
        Attention.block(q, qOff, nq, kc, vc, stride, kvOff, hd, visible, scale, new float[4 * positions], actual,
                outOff);
        float max = 0;
        for (float e : expected) max = Math.max(max, Math.abs(e));
        assertArrayEquals(expected, actual, 1e-6f * Math.max(1, max));
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
