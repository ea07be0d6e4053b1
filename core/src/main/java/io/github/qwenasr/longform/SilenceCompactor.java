package io.github.qwenasr.longform;

import io.github.qwenasr.audio.AudioSource;

import java.util.Arrays;

/**
 * {@code --skip-silence} (docs/modes.md 5): drops long silences from 16 kHz audio, keeping voiced 10 ms
 * windows and the first 600 ms of every pause, and records where each kept run came from
 * ({@link TimeMap}) so segment times can be reported on the original recording.
 */
public final class SilenceCompactor {
    private static final int WINDOW = 160;
    private static final double SMOOTHING = 0.2;
    private static final double FLOOR_PERCENTILE = 0.25;
    private static final double FLOOR_FACTOR = 1.8;
    private static final double MIN_THRESHOLD = 0.002;
    private static final double MAX_THRESHOLD = 0.025;
    private static final int MIN_VOICE_WINDOWS = 5;
    private static final int DILATE_WINDOWS = 3;
    private static final int KEPT_PAUSE_WINDOWS = 60;
    private static final int ALL_SILENT_KEEP = 8000;
    /** Windows read from the source at a time (10 s). */
    private static final int BLOCK_WINDOWS = 1000;

    private SilenceCompactor() {}

    /**
     * The compaction of a source, read in pieces: the kept audio as a view of the input, its map
     * and the input length.
     */
    public record Compacted(AudioSource audio, TimeMap map, int originalSamples) {
        /** Kept share of the input in percent. */
        public double usedPercent() {
            return percent(audio.length(), originalSamples);
        }

        /** Dropped share of the input in percent. */
        public double skippedPercent() {
            return 100 - usedPercent();
        }
    }

    private static double percent(int kept, int original) {
        return original == 0 ? 100 : 100.0 * kept / original;
    }

    /**
     * Compacts a source without holding it: one pass finds the kept runs (a few bytes per 10 ms of
     * input); the result reads the input through the map.
     */
    public static Compacted compact(AudioSource x) {
        if (x.length() == 0) return new Compacted(x, TimeMap.identity(0), 0);
        TimeMap map = keptRuns(x);
        return new Compacted(map.view(x), map, x.length());
    }

    private static TimeMap keptRuns(AudioSource x) {
        int n = x.length();
        int windows = (n + WINDOW - 1) / WINDOW;
        double[] smooth = smoothedRms(x, windows);
        boolean[] voice = voiceFlags(smooth);
        removeShortRuns(voice);
        voice = dilate(voice);

        TimeMap.Builder map = new TimeMap.Builder();
        int unvoicedRun = 0;
        for (int w = 0; w < windows; w++) {
            boolean keep;
            if (voice[w]) {
                unvoicedRun = 0;
                keep = true;
            } else {
                keep = unvoicedRun < KEPT_PAUSE_WINDOWS;
                unvoicedRun++;
            }
            if (keep) {
                int start = w * WINDOW;
                map.keep(start, Math.min(n, start + WINDOW) - start);
            }
        }
        TimeMap built = map.build();
        if (built.compactedLength() == 0) {
            map.keep(0, Math.min(n, ALL_SILENT_KEEP));
            built = map.build();
        }
        return built;
    }

    /** Window RMS smoothed by an exponential moving average seeded with the first window. */
    private static double[] smoothedRms(AudioSource source, int windows) {
        double[] s = new double[windows];
        double state = 0;
        int n = source.length();
        float[] x = new float[WINDOW * BLOCK_WINDOWS];
        int blockStart = 0;
        for (int w = 0; w < windows; w++) {
            int from = w * WINDOW;
            int to = Math.min(n, from + WINDOW);
            if (w % BLOCK_WINDOWS == 0) {
                blockStart = from;
                source.read(from, x, 0, Math.min(x.length, n - from));
            }
            double sum = 0;
            for (int i = from - blockStart; i < to - blockStart; i++) sum += (double) x[i] * x[i];
            double rms = Math.sqrt(sum / (to - from));
            state = w == 0 ? rms : (1 - SMOOTHING) * state + SMOOTHING * rms;
            s[w] = state;
        }
        return s;
    }

    private static boolean[] voiceFlags(double[] smooth) {
        double[] sorted = smooth.clone();
        Arrays.sort(sorted);
        double floor = sorted[(int) Math.floor((sorted.length - 1) * FLOOR_PERCENTILE)];
        double threshold = Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, FLOOR_FACTOR * floor));
        boolean[] voice = new boolean[smooth.length];
        for (int i = 0; i < smooth.length; i++) voice[i] = smooth[i] > threshold;
        return voice;
    }

    /** Clears voiced runs shorter than 50 ms (clicks). */
    private static void removeShortRuns(boolean[] voice) {
        int i = 0;
        while (i < voice.length) {
            if (!voice[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < voice.length && voice[j]) j++;
            if (j - i < MIN_VOICE_WINDOWS) Arrays.fill(voice, i, j, false);
            i = j;
        }
    }

    private static boolean[] dilate(boolean[] voice) {
        boolean[] out = new boolean[voice.length];
        for (int i = 0; i < voice.length; i++) {
            if (!voice[i]) continue;
            int from = Math.max(0, i - DILATE_WINDOWS);
            int to = Math.min(voice.length, i + DILATE_WINDOWS + 1);
            Arrays.fill(out, from, to, true);
        }
        return out;
    }
}
