package io.github.qwenasr.stream;

import java.util.Arrays;

/**
 * A token list addressed by absolute position (position 0 is the first token since the list was
 * last rebuilt), of which only the positions from {@link #start()} on are held: the front can be
 * dropped so a long stream keeps a bounded history (docs/modes.md 6.2 step 8 keeps everything; we keep
 * what the prefix, commit and de-dup rules can still read).
 */
final class TokenWindow {
    private int[] buf = new int[64];
    private long start;
    private int size;

    /** First position held. */
    long start() {
        return start;
    }

    /** One past the last position. */
    long end() {
        return start + size;
    }

    /** Tokens held. */
    int size() {
        return size;
    }

    /** The token at an absolute position, or {@link TokenView#FORGOTTEN} before {@link #start()}. */
    int get(long position) {
        if (position < start) return TokenView.FORGOTTEN;
        if (position >= end()) throw new IndexOutOfBoundsException("position " + position + " >= " + end());
        return buf[(int) (position - start)];
    }

    void append(int id) {
        if (size == buf.length) buf = Arrays.copyOf(buf, size * 2);
        buf[size++] = id;
    }

    void appendAll(int[] ids) {
        for (int id : ids) append(id);
    }

    /**
     * Cuts the list at {@code newEnd} (not after {@link #end()}). A cut before {@link #start()}
     * leaves an empty list whose next token goes to position {@code newEnd}.
     */
    void truncate(long newEnd) {
        if (newEnd > end()) throw new IllegalArgumentException("cannot extend by truncation: " + newEnd + " > " + end());
        if (newEnd >= start) {
            size = (int) (newEnd - start);
        } else {
            start = newEnd;
            size = 0;
        }
    }

    /** Forgets positions before {@code position} (no-op when already forgotten). */
    void dropBefore(long position) {
        if (position <= start) return;
        int drop = (int) Math.min(size, position - start);
        System.arraycopy(buf, drop, buf, 0, size - drop);
        size -= drop;
        start = position;
        if (buf.length > 256 && size < buf.length / 4) buf = Arrays.copyOf(buf, Math.max(64, size * 2));
    }

    /** Empties the list; the next token goes to position 0. */
    void clear() {
        restartAt(0);
    }

    /** Empties the list; the next token goes to {@code position}. */
    void restartAt(long position) {
        start = position;
        size = 0;
    }

    /** Held tokens of [from, to), forgotten ones skipped. */
    int[] copy(long from, long to) {
        long a = Math.max(from, start);
        long b = Math.min(to, end());
        if (b <= a) return new int[0];
        return Arrays.copyOfRange(buf, (int) (a - start), (int) (b - start));
    }

    /** The positions [origin, origin+length) as a view indexed from 0. */
    TokenView view(long origin, int length) {
        if (origin + length > end()) throw new IllegalArgumentException("view beyond the end");
        return new TokenView() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public int get(int i) {
                return TokenWindow.this.get(origin + i);
            }

            @Override
            public int firstKnown() {
                return (int) Math.max(0, Math.min(length, start - origin));
            }
        };
    }
}
