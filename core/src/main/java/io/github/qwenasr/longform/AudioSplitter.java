package io.github.qwenasr.longform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The official long-audio split (MODEL.md 5.8): cut near every max-length point at the quietest
 * 100 ms window within +-5 s, at that window's quietest sample. Pieces concatenate back to the
 * input exactly; only pieces shorter than 0.5 s are zero-padded to 0.5 s.
 */
public final class AudioSplitter {
    private AudioSplitter() {}

    public static final int SAMPLE_RATE = 16000;
    private static final int EXPAND = 5 * SAMPLE_RATE;
    private static final int WIN = SAMPLE_RATE / 10;
    private static final int MIN_SAMPLES = SAMPLE_RATE / 2;

    /** One piece of audio and where it starts in the input. */
    public record Piece(float[] samples, int offsetSamples) {
        public double offsetSeconds() {
            return offsetSamples / (double) SAMPLE_RATE;
        }
    }

    /** Splits x into pieces of at most maxSeconds (a single unpadded piece when it already fits). */
    public static List<Piece> split(float[] x, double maxSeconds) {
        int n = x.length;
        int maxLen = (int) (maxSeconds * SAMPLE_RATE);
        List<Piece> out = new ArrayList<>();
        if (n <= maxLen) {
            out.add(new Piece(x, 0));
            return out;
        }
        int start = 0;
        while (n - start > maxLen) {
            int cut = start + maxLen;
            int lo = Math.max(start, cut - EXPAND);
            int hi = Math.min(n, cut + EXPAND);
            int boundary;
            if (hi - lo <= WIN) {
                boundary = cut;
            } else {
                boundary = lo + quietestPoint(x, lo, hi);
            }
            boundary = Math.max(start + 1, Math.min(boundary, n));
            out.add(new Piece(pad(Arrays.copyOfRange(x, start, boundary)), start));
            start = boundary;
        }
        out.add(new Piece(pad(Arrays.copyOfRange(x, start, n)), start));
        return out;
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

    private static float[] pad(float[] piece) {
        return piece.length >= MIN_SAMPLES ? piece : Arrays.copyOf(piece, MIN_SAMPLES);
    }
}
