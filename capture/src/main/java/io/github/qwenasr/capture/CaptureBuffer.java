package io.github.qwenasr.capture;

import io.github.qwenasr.QwenAsrException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocks between the capture thread and the consumer (docs/modes.md 7.1): bounded by a number of
 * samples, and when a new block would exceed it the oldest blocks are dropped, so the capture never
 * waits for the consumer and memory never grows; the next block handed out says how much was lost
 * before it. The consumer waits only for audio to arrive.
 */
final class CaptureBuffer {
    private final long capacity;
    private final ArrayDeque<CapturedAudio> blocks = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long held;
    private long written;
    private long droppedTotal;
    private boolean ended;
    private RuntimeException failure;

    /** @param capacity most samples held, at least 1 */
    CaptureBuffer(long capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1 sample");
        this.capacity = capacity;
    }

    /** Adds a block from the capture thread, dropping the oldest held blocks when it would not fit. Never waits on the consumer. */
    void offer(float[] samples16k) {
        if (samples16k.length == 0) return;
        lock.lock();
        try {
            if (ended) return;
            // Dropped audio is reported before the block the consumer takes next: the new head of the queue.
            long carry = 0;
            while (!blocks.isEmpty() && held + samples16k.length > capacity) {
                CapturedAudio oldest = blocks.removeFirst();
                held -= oldest.length();
                carry += oldest.droppedBefore() + oldest.length();
                droppedTotal += oldest.length();
            }
            float[] kept = samples16k;
            int cut = 0;
            if (kept.length > capacity) { // a block larger than the whole buffer keeps its newest part
                cut = (int) (kept.length - capacity);
                droppedTotal += cut;
                kept = java.util.Arrays.copyOfRange(kept, cut, kept.length);
            }
            if (!blocks.isEmpty() && carry > 0) {
                CapturedAudio head = blocks.removeFirst();
                blocks.addFirst(new CapturedAudio(head.samplesShared(), head.droppedBefore() + carry, head.startSample()));
                carry = 0;
            }
            blocks.addLast(new CapturedAudio(kept, carry + cut, written + cut));
            written += samples16k.length;
            held += kept.length;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The capture has ended (the line closed or was stopped): the consumer gets the held blocks, then the end. */
    void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The capture failed: the consumer gets the held blocks, then this failure. */
    void fail(RuntimeException e) {
        lock.lock();
        try {
            if (failure == null) failure = e;
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest block, waiting up to {@code timeoutMillis} for one; null when none came in time.
     *
     * @return the block, {@link #END} at the end
     */
    CapturedAudio poll(long timeoutMillis) throws InterruptedException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (blocks.isEmpty() && !ended) {
                if (nanos <= 0) return null;
                nanos = arrived.awaitNanos(nanos);
            }
            if (!blocks.isEmpty()) {
                CapturedAudio b = blocks.removeFirst();
                held -= b.length();
                return b;
            }
            if (failure != null) throw failure instanceof QwenAsrException q ? q : new QwenAsrException(failure.getMessage());
            return END;
        } finally {
            lock.unlock();
        }
    }

    /** Samples dropped so far. */
    long droppedSamples() {
        lock.lock();
        try {
            return droppedTotal;
        } finally {
            lock.unlock();
        }
    }

    /** Samples held now (for tests and diagnostics). */
    long heldSamples() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end in {@link #poll}. */
    static final CapturedAudio END = new CapturedAudio(new float[0], 0, -1);
}
