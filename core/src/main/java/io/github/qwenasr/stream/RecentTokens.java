package io.github.qwenasr.stream;

import java.util.Arrays;

/**
 * The last tokens emitted (the C engine's emitted history, docs/modes.md 6.7-6.8), bounded: only the
 * overlap de-dup (48) and the re-anchor carry (24) ever read it.
 */
final class RecentTokens {
    private final int[] ring;
    private int count;
    private int next;

    RecentTokens(int capacity) {
        ring = new int[capacity];
    }

    void add(int id) {
        ring[next] = id;
        next = (next + 1) % ring.length;
        if (count < ring.length) count++;
    }

    /** The last {@code n} (at most what is held), oldest first. */
    int[] last(int n) {
        int k = Math.min(n, count);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = ring[Math.floorMod(next - k + i, ring.length)];
        return out;
    }

    int[] all() {
        return last(count);
    }

    void clear() {
        count = 0;
        next = 0;
        Arrays.fill(ring, 0);
    }
}
