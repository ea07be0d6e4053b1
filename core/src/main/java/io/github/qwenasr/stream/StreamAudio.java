package io.github.qwenasr.stream;

import java.util.Arrays;

/**
 * The session's 16 kHz audio, addressed by absolute sample index since the stream began; samples
 * before the current encoder window base are discarded (docs/modes.md 6.2 step 11), so memory holds
 * at most one window plus the audio not yet decoded.
 */
final class StreamAudio {
    private float[] buf = new float[16000];
    private long base;
    private int size;

    /** Absolute index one past the last sample received. */
    long end() {
        return base + size;
    }

    /** Absolute index of the first sample still held. */
    long base() {
        return base;
    }

    /** Samples held (for the bounded-memory checks). */
    int held() {
        return size;
    }

    void append(float[] samples) {
        if (size + samples.length > buf.length) buf = Arrays.copyOf(buf, Math.max(size + samples.length, buf.length * 2));
        System.arraycopy(samples, 0, buf, size, samples.length);
        size += samples.length;
    }

    /** Samples [from, to) (absolute; must be held). */
    float[] copy(long from, long to) {
        if (from < base || to > end() || from > to) {
            throw new IllegalArgumentException("audio [" + from + ", " + to + ") not held: [" + base + ", " + end() + ")");
        }
        return Arrays.copyOfRange(buf, (int) (from - base), (int) (to - base));
    }

    /** Discards samples before {@code position}. */
    void discardBefore(long position) {
        int drop = (int) Math.min(size, Math.max(0, position - base));
        if (drop == 0) return;
        System.arraycopy(buf, drop, buf, 0, size - drop);
        size -= drop;
        base += drop;
        if (buf.length > 4 * 16000 * 60 && size < buf.length / 4) buf = Arrays.copyOf(buf, Math.max(16000, size * 2));
    }
}
