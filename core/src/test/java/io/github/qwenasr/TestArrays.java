package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Array comparisons shared by tests that check two computation orders against each other. */
public final class TestArrays {
    private TestArrays() {
    }

    /** Token ids of a result as an array, for comparisons with golden arrays. */
    public static int[] ints(java.util.List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Asserts equal lengths, a non-zero expected array, and every element within
     * {@code relative * max(1, max|expected|)} of the expected one.
     */
    public static void assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxAbs > 0, what + ": all zero");
        assertTrue(maxDiff <= relative * Math.max(1, maxAbs), what + ": max difference " + maxDiff + " of " + maxAbs);
    }
}
