package io.github.qwenasr.stream;

import io.github.qwenasr.mel.LogMel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder output for the decoder's audio context (docs/modes.md 6.3). The encoder attends only inside
 * windows of W samples (n_window_infer mel frames, whole 100-frame chunks), so a completed window
 * [kW, (k+1)W) is run through log-mel and the encoder once, on its own, and cached; at most
 * {@code maxWindows} stay (oldest evicted). The partial window [floor(cursor/W)·W, cursor) is
 * encoded afresh every step. A re-anchor restarts the cache at the current window base.
 */
final class EncoderWindowCache {
    /** Encodes one span of 16 kHz samples (its own mel, its own clamp) into decoder-width rows. */
    @FunctionalInterface
    interface SpanEncoder {
        Encoded encode(float[] samples);
    }

    /** Rows of one encoded span: {@code count} rows of the decoder width. */
    record Encoded(float[] rows, int count) {}

    /**
     * An encoded span with a serial number unique within the session: its rows' identity for the
     * prefill reuse (6.5). Windows keep their serial while cached; each tail gets a new one.
     */
    record Span(long serial, long window, float[] rows, int count) {}

    private final long windowSamples;
    private final int maxWindows;
    private final SpanEncoder encoder;
    private final ArrayDeque<Span> windows = new ArrayDeque<>();
    /** Index of the first window not encoded yet. */
    private long nextWindow;
    private long serials;
    private long windowsEncoded;

    EncoderWindowCache(long windowSamples, int maxWindows, SpanEncoder encoder) {
        if (windowSamples <= 0 || maxWindows < 1) throw new IllegalArgumentException("bad window cache shape");
        this.windowSamples = windowSamples;
        this.maxWindows = maxWindows;
        this.encoder = encoder;
    }

    long windowSamples() {
        return windowSamples;
    }

    /** Start of the window that contains {@code cursor} (the "full end" of the completed windows). */
    long windowBase(long cursor) {
        return Math.floorDiv(cursor, windowSamples) * windowSamples;
    }

    /**
     * Encodes every window completed before {@code cursor} and not cached yet, evicting the oldest
     * beyond the limit. Windows that would be evicted at once are not encoded at all.
     */
    void advance(StreamAudio audio, long cursor) {
        long complete = Math.floorDiv(cursor, windowSamples);
        if (complete <= nextWindow) return;
        long first = Math.max(nextWindow, complete - maxWindows);
        if (first > nextWindow) windows.clear();
        for (long k = first; k < complete; k++) {
            Encoded e = encoder.encode(audio.copy(k * windowSamples, (k + 1) * windowSamples));
            windows.addLast(new Span(serials++, k, e.rows(), e.count()));
            windowsEncoded++;
            while (windows.size() > maxWindows) windows.removeFirst();
        }
        nextWindow = complete;
    }

    /** The encoded partial window [windowBase(cursor), cursor), or null when it is too short for log-mel. */
    Span tail(StreamAudio audio, long cursor) {
        long from = windowBase(cursor);
        if (cursor - from < LogMel.MIN_SAMPLES) return null;
        Encoded e = encoder.encode(audio.copy(from, cursor));
        return new Span(serials++, -1, e.rows(), e.count());
    }

    /** Drops every cached window; encoding resumes with the window that contains {@code cursor}. */
    void restartAt(long cursor) {
        windows.clear();
        nextWindow = Math.floorDiv(cursor, windowSamples);
    }

    /** Cached windows, oldest first. */
    List<Span> windows() {
        return new ArrayList<>(windows);
    }

    int cachedWindows() {
        return windows.size();
    }

    /** Windows encoded since the session began (each at most once). */
    long windowsEncoded() {
        return windowsEncoded;
    }
}
