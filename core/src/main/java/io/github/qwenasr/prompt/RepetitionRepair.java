package io.github.qwenasr.prompt;

import java.util.Arrays;

/**
 * Collapses degenerate repetitions in a decoded transcript (docs/model.md 5.6), as the reference's
 * {@code detect_and_fix_repetitions} does, on Unicode code points:
 * <ol>
 *   <li>every run of one character longer than the threshold becomes a single character;</li>
 *   <li>then, from the left, the first pattern of 1…20 code points that repeats back-to-back at
 *       least threshold times is kept once, and the same procedure continues on what follows the
 *       last repetition. Strings shorter than twice the threshold are left alone.</li>
 * </ol>
 * The reference recurses on the remainder; here that tail call is a loop, so long strings cannot
 * overflow the stack.
 */
public final class RepetitionRepair {
    /** The threshold the reference parser uses. */
    public static final int DEFAULT_THRESHOLD = 20;
    /** Longest pattern the reference looks for. */
    static final int MAX_PATTERN_LENGTH = 20;

    private RepetitionRepair() {
    }

    /** Both steps with the default threshold 20. */
    public static String fix(String text) {
        return fix(text, DEFAULT_THRESHOLD);
    }

    /** Both steps with the given threshold (≥ 1). */
    public static String fix(String text, int threshold) {
        if (threshold < 1) throw new IllegalArgumentException("threshold must be >= 1");
        int[] cps = text.codePoints().toArray();
        int[] fixed = fixPatternRuns(fixCharacterRuns(cps, threshold), threshold);
        return new String(fixed, 0, fixed.length);
    }

    /** Step 1: a run of more than {@code threshold} identical code points becomes one. */
    static int[] fixCharacterRuns(int[] s, int threshold) {
        int[] out = new int[s.length];
        int o = 0;
        int i = 0;
        while (i < s.length) {
            int run = 1;
            while (i + run < s.length && s[i + run] == s[i]) run++;
            if (run > threshold) {
                out[o++] = s[i];
            } else {
                System.arraycopy(s, i, out, o, run);
                o += run;
            }
            i += run;
        }
        return Arrays.copyOf(out, o);
    }

    /** Step 2: pattern runs, with the reference's scan order and bounds. */
    static int[] fixPatternRuns(int[] s, int threshold) {
        int n = s.length;
        int minChars = 2 * threshold;
        int[] out = new int[n];
        int o = 0;
        int base = 0;   // start of the part still to process (the reference's recursive argument)
        while (true) {
            if (n - base < minChars) {
                System.arraycopy(s, base, out, o, n - base);
                o += n - base;
                break;
            }
            int i = base;
            int resumeAt = -1;
            while (i <= n - minChars) {
                for (int k = 1; k <= MAX_PATTERN_LENGTH && i + k * threshold <= n; k++) {
                    if (!repeats(s, i, k, threshold)) continue;
                    int end = i + threshold * k;
                    while (end + k <= n && Arrays.equals(s, end, end + k, s, i, i + k)) end += k;
                    System.arraycopy(s, i, out, o, k);   // the pattern, once
                    o += k;
                    resumeAt = end;
                    break;
                }
                if (resumeAt >= 0) break;
                out[o++] = s[i++];
            }
            if (resumeAt < 0) {
                System.arraycopy(s, i, out, o, n - i);   // no run found: the rest as it is
                o += n - i;
                break;
            }
            base = resumeAt;
        }
        return Arrays.copyOf(out, o);
    }

    /** Whether s[i, i+k) occurs {@code times} times back-to-back from i. */
    private static boolean repeats(int[] s, int i, int k, int times) {
        for (int rep = 1; rep < times; rep++) {
            int start = i + rep * k;
            if (!Arrays.equals(s, start, start + k, s, i, i + k)) return false;
        }
        return true;
    }
}
