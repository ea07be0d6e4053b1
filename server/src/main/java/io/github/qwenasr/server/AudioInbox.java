package io.github.qwenasr.server;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Audio bytes received on a WebSocket and not decoded yet, bounded in size: {@link #offer} waits
 * while the backlog is full, so a client that sends faster than the engine decodes is slowed
 * down through TCP instead of filling the memory. The decoding side reads it as an InputStream.
 */
final class AudioInbox {
    private final long maxBytes;
    private final Deque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private long buffered;
    private boolean ended;
    private boolean cancelled;

    AudioInbox(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Appends bytes, waiting while the backlog is at its limit.
     *
     * @return false when the inbox was ended or cancelled (the bytes are dropped)
     */
    synchronized boolean offer(byte[] bytes) throws InterruptedException {
        while (!cancelled && !ended && buffered >= maxBytes) wait();
        if (cancelled || ended) return false;
        if (bytes.length > 0) {
            chunks.addLast(bytes);
            buffered += bytes.length;
            notifyAll();
        }
        return true;
    }

    /** No more audio will come: the reader sees the end of the stream after the backlog. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Drops the backlog and wakes both sides; reads then fail. */
    synchronized void cancel() {
        cancelled = true;
        chunks.clear();
        buffered = 0;
        notifyAll();
    }

    synchronized long buffered() {
        return buffered;
    }

    /** The backlog as a stream: a read blocks until bytes arrive, returns -1 at the end, and fails once cancelled. */
    InputStream stream() {
        return new InputStream() {
            @Override
            public int read() throws InterruptedIOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] dst, int off, int len) throws InterruptedIOException {
                return take(dst, off, len);
            }
        };
    }

    private synchronized int take(byte[] dst, int off, int len) throws InterruptedIOException {
        if (len == 0) return 0;
        try {
            while (chunks.isEmpty() && !ended && !cancelled) wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (cancelled) throw new InterruptedIOException("stream cancelled");
        if (chunks.isEmpty()) return -1;
        int n = 0;
        while (n < len && !chunks.isEmpty()) {
            byte[] head = chunks.peekFirst();
            int k = Math.min(len - n, head.length - headOffset);
            System.arraycopy(head, headOffset, dst, off + n, k);
            n += k;
            headOffset += k;
            if (headOffset == head.length) {
                chunks.pollFirst();
                headOffset = 0;
            }
        }
        buffered -= n;
        notifyAll();
        return n;
    }
}
