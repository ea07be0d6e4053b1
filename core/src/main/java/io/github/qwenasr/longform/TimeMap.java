package io.github.qwenasr.longform;

import io.github.qwenasr.audio.AudioSource;

import java.util.Arrays;

/**
 * Maps positions in silence-compacted audio back to the original recording (docs/modes.md 5, 12.4:
 * "keep a compacted to original time map"). The compacted signal is a concatenation of kept runs
 * of the original; each run maps with slope 1, so the map is piecewise linear with one piece per
 * run. A compacted position on a run boundary maps to the start of the later run.
 */
public final class TimeMap {
    private final int[] compactedStarts;
    private final int[] originalStarts;
    private final int[] lengths;
    private final int compactedLength;

    private TimeMap(int[] compactedStarts, int[] originalStarts, int[] lengths) {
        this.compactedStarts = compactedStarts;
        this.originalStarts = originalStarts;
        this.lengths = lengths;
        int total = 0;
        for (int len : lengths) total += len;
        this.compactedLength = total;
    }

    /** The map of audio that was not compacted: every position maps to itself. */
    public static TimeMap identity(int samples) {
        return new TimeMap(new int[] {0}, new int[] {0}, new int[] {samples});
    }

    /** Collects kept runs of the original in order. */
    static final class Builder {
        private int[] origin = new int[8];
        private int[] length = new int[8];
        private int count;

        /** Appends the original samples [start, start + len), merging with the previous run when contiguous. */
        void keep(int start, int len) {
            if (len <= 0) return;
            if (count > 0 && origin[count - 1] + length[count - 1] == start) {
                length[count - 1] += len;
                return;
            }
            if (count == origin.length) {
                origin = Arrays.copyOf(origin, count * 2);
                length = Arrays.copyOf(length, count * 2);
            }
            origin[count] = start;
            length[count] = len;
            count++;
        }

        TimeMap build() {
            int[] compacted = new int[count];
            int pos = 0;
            for (int i = 0; i < count; i++) {
                compacted[i] = pos;
                pos += length[i];
            }
            return new TimeMap(compacted, Arrays.copyOf(origin, count), Arrays.copyOf(length, count));
        }
    }

    /** The compacted signal as a view that reads the kept runs of {@code original} when asked. */
    AudioSource view(AudioSource original) {
        return new AudioSource() {
            @Override
            public int length() {
                return compactedLength;
            }

            @Override
            public void read(int start, float[] dst, int offset, int count) {
                java.util.Objects.checkFromIndexSize(start, count, compactedLength);
                int k = Arrays.binarySearch(compactedStarts, start);
                if (k < 0) k = -k - 2;
                while (count > 0) {
                    int within = start - compactedStarts[k];
                    int n = Math.min(count, lengths[k] - within);
                    original.read(originalStarts[k] + within, dst, offset, n);
                    start += n;
                    offset += n;
                    count -= n;
                    k++;
                }
            }
        };
    }

    /** Number of samples of the compacted signal. */
    public int compactedLength() {
        return compactedLength;
    }

    /** Number of linear pieces (kept runs). */
    public int pieces() {
        return lengths.length;
    }

    /**
     * The original sample index of compacted sample {@code index}; {@code index == compactedLength()}
     * maps to the end of the last kept run. Out-of-range values are clamped.
     */
    public double toOriginalSample(double index) {
        if (lengths.length == 0) return 0;
        if (index <= 0) return originalStarts[0];
        if (index >= compactedLength) {
            int last = lengths.length - 1;
            return originalStarts[last] + lengths[last];
        }
        int k = Arrays.binarySearch(compactedStarts, (int) Math.floor(index));
        if (k < 0) k = -k - 2;
        return originalStarts[k] + (index - compactedStarts[k]);
    }

    /** {@link #toOriginalSample} in seconds at {@value AudioSplitter#SAMPLE_RATE} Hz. */
    public double toOriginalSeconds(double compactedSeconds) {
        return toOriginalSample(compactedSeconds * AudioSplitter.SAMPLE_RATE) / AudioSplitter.SAMPLE_RATE;
    }
}
