package io.github.qwenasr.longform;

import io.github.qwenasr.audio.AudioSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The official long-audio split (docs/model.md 5.8): cut near every max-length point at the quietest
 * 100 ms window within +-5 s, at that window's quietest sample. Pieces concatenate back to the
 * input exactly; only pieces shorter than 0.5 s are zero-padded to 0.5 s.
 *
 * <p>The search reads only the 10 s around each cut, so a recording of any length is split without
 * holding it whole ({@link #ranges}); {@link #pieceSamples} then reads one piece at a time.
 */
public final class AudioSplitter {
    private AudioSplitter() {}

    public static final int SAMPLE_RATE = 16000;
    private static final int EXPAND = 5 * SAMPLE_RATE;
    private static final int WIN = SAMPLE_RATE / 10;
    private static final int MIN_SAMPLES = SAMPLE_RATE / 2;

    /**
     * The pieces' sample ranges: consecutive and covering the whole input. A piece ends at the cut
     * point found within +-5 s of its maxSeconds mark, so it is at most maxSeconds + 5 s long.
     */
    public static List<Segmenter.Range> ranges(AudioSource x, double maxSeconds) {
        int n = x.length();
        int maxLen = (int) (maxSeconds * SAMPLE_RATE);
        List<Segmenter.Range> out = new ArrayList<>();
        int start = 0;
        while (n - start > maxLen) {
            int cut = start + maxLen;
            int lo = Math.max(start, cut - EXPAND);
            int hi = Math.min(n, cut + EXPAND);
            int boundary;
            if (hi - lo <= WIN) {
                boundary = cut;
            } else {
                boundary = lo + quietestPoint(x.read(lo, hi - lo), 0, hi - lo);
            }
            boundary = Math.max(start + 1, Math.min(boundary, n));
            out.add(new Segmenter.Range(start, boundary));
            start = boundary;
        }
        out.add(new Segmenter.Range(start, n));
        return out;
    }

    /** Piece {@code i} of {@link #ranges}: its samples, zero-padded to 0.5 s unless it is the only piece. */
    public static float[] pieceSamples(AudioSource x, List<Segmenter.Range> ranges, int i) {
        Segmenter.Range r = ranges.get(i);
        float[] piece = x.read(r.start(), r.length());
        return ranges.size() == 1 || piece.length >= MIN_SAMPLES ? piece : Arrays.copyOf(piece, MIN_SAMPLES);
    }

    /** Offset within [lo, hi) of the quietest sample inside the quietest full 100 ms window. */
    static int quietestPoint(float[] x, int lo, int hi) {
        int len = hi - lo;
        // Running sum of |x| over windows, in float like the reference's convolution.
        double sum = 0;
        for (int i = 0; i < WIN; i++) sum += Math.abs(x[lo + i]);
        double best = sum;
        int bestStart = 0;
        for (int s = 1; s + WIN <= len; s++) {
            sum += Math.abs(x[lo + s + WIN - 1]) - Math.abs(x[lo + s - 1]);
            if (sum < best) {
                best = sum;
                bestStart = s;
            }
        }
        int bestIdx = 0;
        float bestAbs = Float.POSITIVE_INFINITY;
        for (int i = 0; i < WIN; i++) {
            float a = Math.abs(x[lo + bestStart + i]);
            if (a < bestAbs) {
                bestAbs = a;
                bestIdx = i;
            }
        }
        return bestStart + bestIdx;
    }
}
