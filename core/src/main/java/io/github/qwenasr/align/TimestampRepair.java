package io.github.qwenasr.align;

/**
 * Monotonicity repair of the aligner's raw timestamps (docs/model.md 7.5), as the official
 * {@code fix_timestamp} does it: keep the first-ending longest non-decreasing subsequence, replace the
 * other values from their normal neighbours (nearest one for runs of at most two, linear interpolation
 * for longer runs), then truncate to whole milliseconds.
 */
final class TimestampRepair {
    private TimestampRepair() {
    }

    /** Repaired values in whole milliseconds (truncated toward zero), same length as {@code ms}. */
    public static long[] repair(double[] ms) {
        int n = ms.length;
        long[] out = new long[n];
        if (n == 0) return out;
        boolean[] normal = longestNonDecreasing(ms);
        double[] t = ms.clone();
        int i = 0;
        while (i < n) {
            if (normal[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && !normal[j]) j++;
            // Runs are maximal, so i-1 and j (when inside the list) are normal and still hold their values.
            boolean hasLeft = i > 0;
            boolean hasRight = j < n;
            double left = hasLeft ? t[i - 1] : 0;
            double right = hasRight ? t[j] : 0;
            int count = j - i;
            if (!hasLeft && !hasRight) throw new IllegalStateException("no normal value to repair from");
            for (int k = i; k < j; k++) {
                if (!hasLeft) {
                    t[k] = right;
                } else if (!hasRight) {
                    t[k] = left;
                } else if (count <= 2) {
                    t[k] = (k - (i - 1)) <= (j - k) ? left : right; // ties go left
                } else {
                    double step = (right - left) / (count + 1);
                    t[k] = left + step * (k - i + 1);
                }
            }
            i = j;
        }
        for (int k = 0; k < n; k++) out[k] = (long) t[k]; // Python int(): truncation toward zero
        return out;
    }

    /** Marks the indices of the longest non-decreasing subsequence that ends first (O(n^2) DP, 7.5 step 1). */
    static boolean[] longestNonDecreasing(double[] t) {
        int n = t.length;
        int[] len = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = 1;
            prev[i] = -1;
            for (int j = 0; j < i; j++) {
                if (t[j] <= t[i] && len[j] + 1 > len[i]) {
                    len[i] = len[j] + 1;
                    prev[i] = j;
                }
            }
        }
        int end = 0;
        for (int i = 1; i < n; i++) {
            if (len[i] > len[end]) end = i;
        }
        boolean[] normal = new boolean[n];
        for (int k = end; k != -1; k = prev[k]) normal[k] = true;
        return normal;
    }
}
