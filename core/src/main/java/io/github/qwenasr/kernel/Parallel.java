package io.github.qwenasr.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A persistent worker pool: the calling thread is worker 0, the others are platform threads that
 * spin briefly on a generation counter and then park. No task objects are queued and nothing is
 * allocated per dispatch beyond the caller's lambda (KERNELS.md 2: ForkJoin submit/join costs
 * several percent at decode granularity).
 *
 * <p>A pool runs one job at a time; {@link #run} is synchronized so several sessions sharing one
 * model take turns instead of corrupting each other's dispatch.
 */
public final class Parallel implements AutoCloseable {
    /** Work for one dispatch: called once per worker with its index. */
    @FunctionalInterface
    public interface Job {
        void run(int worker, int workers);
    }

    /** Work on a contiguous index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Job job;
    private volatile int generation;
    private volatile boolean closed;
    private volatile Throwable failure;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            final int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "qwen-asr-worker-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Number of threads including the caller. */
    public int threads() {
        return threads;
    }

    /** Runs the job on every worker and returns when all have finished. */
    public synchronized void run(Job j) {
        if (threads == 1) {
            j.run(0, 1);
            return;
        }
        if (closed) throw new IllegalStateException("thread pool is closed");
        failure = null;
        job = j;
        remaining.set(threads - 1);
        generation = generation + 1;
        for (Thread w : workers) LockSupport.unpark(w);
        Throwable mine = null;
        try {
            j.run(0, threads);
        } catch (Throwable t) {
            mine = t;
        }
        while (remaining.get() != 0) Thread.onSpinWait();
        job = null;
        Throwable f = mine != null ? mine : failure;
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new RuntimeException(f);
    }

    /** Splits [0, n) into one contiguous range per worker, boundaries on multiples of align. */
    public void forRange(int n, int align, RangeBody body) {
        if (n <= 0) return;
        int units = (n + align - 1) / align;
        if (threads == 1 || units < 2) {
            body.run(0, n);
            return;
        }
        run((w, ws) -> {
            int u0 = (int) ((long) units * w / ws);
            int u1 = (int) ((long) units * (w + 1) / ws);
            int s = Math.min(n, u0 * align);
            int e = Math.min(n, u1 * align);
            if (s < e) body.run(s, e);
        });
    }

    /** Runs body(i) for i in [0, n), handing indices out dynamically (uneven work items). */
    public void forEach(int n, java.util.function.IntConsumer body) {
        if (n <= 0) return;
        if (threads == 1 || n == 1) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        run((w, ws) -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) body.accept(i);
        });
    }

    private void workerLoop(int id) {
        int seen = 0;
        while (!closed) {
            int g = generation;
            if (g != seen) {
                seen = g;
                Job j = job;
                try {
                    if (j != null) j.run(id, threads);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    remaining.decrementAndGet();
                }
                continue;
            }
            long start = System.nanoTime();
            while (generation == seen && !closed && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
            if (generation == seen && !closed) LockSupport.parkNanos(this, 5_000_000);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
