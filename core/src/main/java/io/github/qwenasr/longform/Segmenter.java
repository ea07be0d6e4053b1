package io.github.qwenasr.longform;

import io.github.qwenasr.audio.AudioSource;

import java.util.ArrayList;
import java.util.List;

/**
 * Segmented mode's split (docs/modes.md 4.1-4.2): cut near every multiple of the target length at the
 * centre of the quietest 100 ms window (50 % overlapping windows, mean energy) within a half
 * window of min(W, S/2). Unlike the earlier engines there is no 127-segment cap. Segments
 * concatenate back to the input exactly; short ones are padded for decoding (4.3, {@link AudioSplitter#pieceSamples}).
 */
public final class Segmenter {
    private static final int RATE = AudioSplitter.SAMPLE_RATE;
    private static final int WINDOW = RATE / 10;
    private static final int HOP = WINDOW / 2;
    /** Segments shorter than 0.5 s are zero-padded to this length for decoding. */
    public static final int MIN_DECODE_SAMPLES = RATE / 2;

    private Segmenter() {}

    /** Samples [start, end) of the input. */
    public record Range(int start, int end) {
        public int length() {
            return end - start;
        }

        public double startSeconds() {
            return start / (double) RATE;
        }

        public double endSeconds() {
            return end / (double) RATE;
        }
    }

    /**
     * Splits {@code x} into segments of about {@code segmentSeconds}, reading only the search window
     * around each cut. A single segment covers everything when segmentation is off (&le; 0) or the
     * audio is no longer than target + search margin.
     */
    public static List<Range> split(AudioSource x, double segmentSeconds, double searchSeconds) {
        int n = x.length();
        List<Range> out = new ArrayList<>();
        if (!(segmentSeconds > 0)) {
            out.add(new Range(0, n));
            return out;
        }
        double search = Math.max(0, Math.min(searchSeconds, segmentSeconds / 2));
        long target = Math.max(1, Math.round(segmentSeconds * RATE));
        long margin = Math.round(search * RATE);
        int p = 0;
        while (p + target + margin < n) {
            int cut = bestCut(x, (int) (p + target), (int) margin);
            cut = Math.max(p + 1, cut); // always progress, whatever the window arithmetic gives
            out.add(new Range(p, cut));
            p = cut;
        }
        out.add(new Range(p, n));
        return out;
    }

    /** Centre of the lowest-energy 100 ms window in [t - h, t + h] (earliest on ties), or t if none fits. */
    static int bestCut(AudioSource source, int t, int h) {
        int lo = Math.max(0, t - h);
        int hi = Math.min(source.length(), t + h);
        int best = t;
        if (hi - lo < WINDOW) return best;
        float[] x = source.read(lo, hi - lo);
        double bestEnergy = Double.POSITIVE_INFINITY;
        for (int s = lo; s + WINDOW <= hi; s += HOP) {
            double sum = 0;
            for (int i = s - lo; i < s - lo + WINDOW; i++) sum += (double) x[i] * x[i];
            double energy = sum / WINDOW;
            if (energy < bestEnergy) {
                bestEnergy = energy;
                best = s + HOP;
            }
        }
        return best;
    }
}
