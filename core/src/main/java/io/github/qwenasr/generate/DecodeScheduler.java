package io.github.qwenasr.generate;

import io.github.qwenasr.DecodeStats;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.decoder.KvCache;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.kernel.MatVecBatch;
import io.github.qwenasr.kernel.Parallel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching of every sequence decoding on one loaded model (docs/modes.md 14): offline
 * pieces and segments, their re-decodes and streaming steps, from any number of threads. A caller
 * runs its own mel, encoder and prefill (sharing the worker pool, whose fair lock interleaves its
 * dispatches with the batch's), then hands the prefilled {@link DecodeSequence} here and waits
 * until it has finished; the caller sees no difference from decoding alone: the same tokens, the
 * same listener calls, the same exceptions.
 *
 * <p>One platform thread ("qwen-asr-decode", started on the first sequence, ended after
 * {@link #IDLE_SECONDS} without work) runs the loop:
 * <ol>
 *   <li>admit waiting sequences, first come first served, while the batch has fewer than
 *       {@link Limits#maxBatch()} and their KV positions fit the budget (below);</li>
 *   <li>for every sequence in the batch choose its next id ({@link DecodeSequence#choose()}: argmax,
 *       stop id, token and position limits, cancellation, listener); those that ended leave and
 *       their callers resume;</li>
 *   <li>run the chosen ids of the rest through the decoder as one batched step
 *       ({@link TextDecoder#forwardBatch}: each weight read once for all of them); a batch of one
 *       takes the single-row path, exactly as a lone caller did before.</li>
 * </ol>
 * A long transcription holds one batch slot at a time (its pieces are submitted one after another),
 * so it never keeps short ones out for long.
 *
 * <p><b>KV budget.</b> A sequence counts for {@code (prompt + token limit + 1) x bytes per position}
 * (the positions its cache may reach; the limit is capped by max_position_embeddings). The sum over
 * the batch stays within {@link Limits#kvBudgetBytes()}, except that a sequence alone always runs.
 * The caches of waiting sequences (their prompts) already exist: callers bound those by how many
 * transcriptions they start at once.
 *
 * <p><b>Failures.</b> An exception from one sequence's choice (its listener threw, its cancellation
 * fired) ends that sequence with it and the batch goes on; a failure of a batched step ends every
 * sequence of that step with it; either reaches the sequence's caller. {@link #close()} ends the
 * sequences in flight with "the model was closed" and refuses later ones.
 */
public final class DecodeScheduler implements AutoCloseable {
    /** The batch-size bound and KV budget; {@link #fromSystemProperties()} reads the switches. */
    public record Limits(int maxBatch, long kvBudgetBytes) {
        public Limits {
            if (maxBatch < 1 || maxBatch > MatVecBatch.MAX_ROWS) {
                throw new IllegalArgumentException("the decode batch bound must be 1 to " + MatVecBatch.MAX_ROWS + ", not " + maxBatch);
            }
            if (kvBudgetBytes < 1) throw new IllegalArgumentException("the KV budget must be positive");
        }

        /** Sequences per batch unless {@code qwenasr.decode.maxBatch} says otherwise. */
        public static final int DEFAULT_MAX_BATCH = 8;

        /**
         * {@code qwenasr.decode.maxBatch} (default 8) and {@code qwenasr.decode.kvBudgetMiB}
         * (default half the maximum heap: the caches are float arrays on the heap).
         */
        public static Limits fromSystemProperties() {
            int batch = Integer.getInteger("qwenasr.decode.maxBatch", DEFAULT_MAX_BATCH);
            Long mib = Long.getLong("qwenasr.decode.kvBudgetMiB");
            long budget = mib != null ? mib << 20 : Math.max(1, Runtime.getRuntime().maxMemory() / 2);
            return new Limits(batch, budget);
        }
    }

    /** One submitted sequence and its caller's wait. */
    private static final class Entry {
        final DecodeSequence sequence;
        final long kvBytes;
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable failure;

        Entry(DecodeSequence sequence, long kvBytes) {
            this.sequence = sequence;
            this.kvBytes = kvBytes;
        }
    }

    /** Seconds the decode thread waits for work before it ends. */
    static final long IDLE_SECONDS = 30;

    private final TextDecoder decoder;
    private final Parallel pool;
    private final Limits limits;
    private final long bytesPerPosition;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Sequences waiting to join, in arrival order (under the lock). */
    private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
    private boolean closed;
    /** The decode thread once started (written under the lock; read by the listener check too). */
    private volatile Thread thread;

    /** The batch: touched by the scheduler thread only. */
    private final List<Entry> active = new ArrayList<>();
    private long activeBytes;

    private volatile int activeCount;
    private volatile int waitingCount;
    private volatile long steps;
    private volatile long rows;
    private volatile long finished;
    private volatile int largest;
    /** Steps run with b rows, at index b. */
    private final AtomicLongArray stepsBySize;

    public DecodeScheduler(TextDecoder decoder, Parallel pool, Limits limits) {
        this.decoder = decoder;
        this.pool = pool;
        this.limits = limits;
        this.bytesPerPosition = decoder.kvBytesPerPosition();
        this.stepsBySize = new AtomicLongArray(limits.maxBatch() + 1);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Decodes a prefilled sequence to its end in the shared batch and returns when it has ended;
     * rethrows what ended it early. Waits through interrupts (decoding never stopped for them;
     * cancel through the sequence's cancellation) and restores the interrupt status afterwards.
     *
     * @throws QwenAsrException      when the model is closed, or was closed during the decode
     * @throws IllegalStateException from a token listener (the scheduler's own thread)
     */
    void decode(DecodeSequence sequence) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a decode was started from inside a token listener;"
                    + " listeners run on the decode thread and must not decode");
        }
        int positions = sequence.promptPositions()
                + Math.max(0, Math.min(sequence.maxNewTokens(), decoder.maxPositions() - sequence.promptPositions())) + 1;
        Entry e = new Entry(sequence, positions * bytesPerPosition);
        lock.lock();
        try {
            if (closed) throw new QwenAsrException("model is closed");
            waiting.add(e);
            waitingCount = waiting.size();
            if (thread == null) {
                thread = Thread.ofPlatform().name("qwen-asr-decode").daemon().unstarted(this::loop);
                thread.start();
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (true) {
            try {
                e.done.await();
                break;
            } catch (InterruptedException ie) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable f = e.failure;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new QwenAsrException("decoding failed: " + f, f);
    }

    /** What the decode batch is doing now and has done (a consistent-enough snapshot for metrics). */
    public DecodeStats stats() {
        List<Long> bySize = new ArrayList<>(stepsBySize.length());
        for (int b = 0; b < stepsBySize.length(); b++) bySize.add(stepsBySize.get(b));
        return new DecodeStats(activeCount, waitingCount, limits.maxBatch(), steps, rows, finished, largest, bySize);
    }

    private void loop() {
        try {
            while (true) {
                if (!admit()) return;
                step();
            }
        } catch (Throwable t) {
            // Not a sequence's failure (those are caught per sequence): end everyone with it, and
            // let the next submission start a fresh thread.
            lock.lock();
            try {
                failAll(t);
                thread = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Moves waiting sequences into the batch (FIFO, within the size bound and the budget); waits
     * while there is nothing to do. False once closed (everything in flight has been ended) or
     * idle for {@link #IDLE_SECONDS}.
     */
    private boolean admit() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    failAll(new QwenAsrException("the model was closed while this sequence was decoding"));
                    return false;
                }
                while (!waiting.isEmpty() && active.size() < limits.maxBatch()
                        && (active.isEmpty() || activeBytes + waiting.peek().kvBytes <= limits.kvBudgetBytes())) {
                    Entry e = waiting.poll();
                    active.add(e);
                    activeBytes += e.kvBytes;
                }
                waitingCount = waiting.size();
                activeCount = active.size();
                if (!active.isEmpty()) return true;
                if (!arrived.await(IDLE_SECONDS, TimeUnit.SECONDS) && waiting.isEmpty()) {
                    // Idle: the thread ends (the next sequence starts another), so a model that is
                    // dropped without close() keeps no thread, nor its weights through it.
                    thread = null;
                    return false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One choice for every sequence in the batch, then one decoder pass for those that go on. */
    private void step() {
        List<Entry> feeding = new ArrayList<>(active.size());
        for (Entry e : active) {
            try {
                if (e.sequence.choose()) feeding.add(e);
                else end(e, null);
            } catch (Throwable t) {
                end(e, t);
            }
        }
        int b = feeding.size();
        if (b > 0) {
            long t0 = System.nanoTime();
            try {
                // The whole step holds the worker pool, then others using it (a newcomer's encoder
                // and prefill) get it for as long: equal turns of time, not of dispatches (a step
                // has about 140, an encoder dispatch can take far longer than one of them).
                pool.exclusive(() -> {
                    if (b == 1) {
                        feeding.get(0).sequence.feed();
                    } else {
                        feedBatch(feeding);
                    }
                });
            } catch (Throwable t) {
                for (Entry e : feeding) end(e, t);
            }
            pool.yieldToOthers(System.nanoTime() - t0);
            stepsBySize.incrementAndGet(b);
            steps++;
            rows += b;
            if (b > largest) largest = b;
        }
        active.removeIf(e -> e.done.getCount() == 0);
        activeCount = active.size();
    }

    /** The chosen ids of several sequences through the decoder as one batched step. */
    private void feedBatch(List<Entry> feeding) {
        long t0 = System.nanoTime();
        int b = feeding.size();
        float[][] x = new float[b][];
        KvCache[] caches = new KvCache[b];
        float[][] logits = new float[b][];
        for (int j = 0; j < b; j++) {
            DecodeSequence s = feeding.get(j).sequence;
            x[j] = decoder.embedToken(s.chosenId());
            caches[j] = s.cache();
            logits[j] = s.logitsBuffer();
        }
        decoder.forwardBatch(pool, x, caches, b, logits);
        long elapsed = System.nanoTime() - t0;
        for (Entry e : feeding) e.sequence.fedInBatch(elapsed);
    }

    /**
     * Ends one sequence: out of the budget and the counts, then its caller resumes (with the
     * failure, if any), so a caller that reads the stats next sees itself gone.
     */
    private void end(Entry e, Throwable failure) {
        if (e.done.getCount() == 0) return;
        e.failure = failure;
        if (active.contains(e)) {
            activeBytes -= e.kvBytes;
            activeCount--;
        }
        finished++;
        e.done.countDown();
    }

    /** Ends the batch and every waiting sequence with t (under the lock). */
    private void failAll(Throwable t) {
        for (Entry e : active) end(e, t);
        active.clear();
        activeBytes = 0;
        for (Entry e : waiting) end(e, t);
        waiting.clear();
        activeCount = 0;
        waitingCount = 0;
    }

    /**
     * Ends the sequences in flight ("the model was closed") once the step that is running has
     * finished, and refuses later ones ("model is closed"). Returns when the decode thread has
     * stopped, unless called from it (a token listener): it then stops after the current step.
     * A second call does nothing.
     */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            arrived.signal();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException ie) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
