package io.github.qwenasr.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded request queue: at most {@code maxRunning} transcriptions decode at once and at most
 * {@code maxWaiting} more wait for a turn; a request beyond that is refused at once (429) rather
 * than queued without end. While the server drains for shutdown no new request is admitted (503),
 * and {@link #awaitIdle} waits for the admitted ones to finish.
 */
public final class Admission {
    private final int maxRunning;
    private final int maxWaiting;
    private final Semaphore slots;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean draining;
    private volatile boolean aborted;

    public Admission(int maxRunning, int maxWaiting) {
        if (maxRunning < 1) throw new IllegalArgumentException("maxRunning must be at least 1");
        if (maxWaiting < 0) throw new IllegalArgumentException("maxWaiting must be at least 0");
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
        this.slots = new Semaphore(maxRunning, true);
    }

    /** A request's place, from admission to its end; close it exactly once. */
    public final class Ticket implements AutoCloseable {
        private boolean running;
        private boolean closed;

        /**
         * Waits for a decoding slot until {@code deadlineNanos} (System.nanoTime scale).
         *
         * @throws ApiException 503 when the deadline passes first or the wait is interrupted
         */
        public void awaitTurn(long deadlineNanos) {
            waiting.incrementAndGet();
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    throw ApiException.unavailable("queue_timeout",
                            "The server is busy: no decoding slot became free within the request's time limit");
                }
                running = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("shutting_down", "The server is shutting down");
            } finally {
                waiting.decrementAndGet();
            }
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (running) slots.release();
            release();
        }
    }

    /**
     * Admits a request to the queue.
     *
     * @throws ApiException 503 while draining, 429 when running and waiting requests fill the queue
     */
    public Ticket enter() {
        if (draining) throw ApiException.unavailable("shutting_down", "The server is shutting down");
        if (admitted.incrementAndGet() > maxRunning + maxWaiting) {
            release();
            throw ApiException.queueFull("Too many requests: " + maxRunning + " decoding and " + maxWaiting
                    + " waiting; retry later");
        }
        return new Ticket();
    }

    private void release() {
        if (admitted.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Stops admitting requests (each new one gets 503). */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** The grace period is over: requests still decoding should stop and answer 503. */
    public void abort() {
        draining = true;
        aborted = true;
    }

    public boolean aborted() {
        return aborted;
    }

    /** Waits until no admitted request is left, at most {@code millis}; true when idle. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (idle) {
            while (admitted.get() > 0) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) return false;
                idle.wait(left);
            }
        }
        return true;
    }

    /** Requests waiting for a decoding slot. */
    public int waiting() {
        return waiting.get();
    }

    /** Requests admitted and not finished: receiving, waiting or decoding. */
    public int admitted() {
        return admitted.get();
    }

    /** Requests holding a decoding slot. */
    public int running() {
        return maxRunning - slots.availablePermits();
    }
}
