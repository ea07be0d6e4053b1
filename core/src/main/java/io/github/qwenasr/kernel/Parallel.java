package io.github.qwenasr.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A persistent worker pool: the calling thread is worker 0, the others are platform threads that
 * spin briefly for the next dispatch and then park. No ForkJoin in the hot path (docs/kernels.md 2:
 * submit/join costs several percent at decode granularity).
 *
 * <p>Two kinds of dispatch. {@link #run} (and {@link #forRange}) gives every worker one fixed
 * share and waits for all of them. {@link #forChunks} gives every worker a contiguous share of
 * small chunks that the others may take over once their own share is done: a worker that wakes
 * late, or is preempted on a busy machine, only delays the chunk it holds. Each dispatch gets its own small state object, so a worker
 * that arrives after a dispatch finished finds nothing left and cannot disturb the next one.
 *
 * <p>A pool runs one dispatch at a time. Dispatches take a fair lock, so several callers sharing
 * one model (the decode scheduler's batch, a newcomer's encoder and prefill, a streaming step) take
 * turns in arrival order instead of one waiting behind another's whole encoder pass
 * (docs/kernels.md 2). A caller may hold its turn across several dispatches ({@link #exclusive}):
 * the decode scheduler does so for each whole step, so a step waits for at most one dispatch of
 * each other caller. Uncontended, the fair lock costs one compare-and-set, as the monitor did.
 *
 * <p>Failures never leave a dispatch waiting: whatever a job or chunk throws is caught where it runs
 * and rethrown to the caller once every worker has finished its part (the first failure, later ones
 * attached as suppressed). After a failed chunk the remaining chunks are claimed and counted without
 * running, so the dispatch ends even when every thread failed. A dispatch started from inside a job
 * of the same pool is refused: from a worker it would wait for the lock its own caller holds. The
 * pool only cannot end a dispatch whose job never returns.
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

    /** Work on one chunk of a {@link #forChunks} dispatch. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    /** How long an idle worker spins before parking (decode dispatches follow each other within microseconds). */
    private static final long SPIN_NANOS = 200_000;
    /** How long a waiting caller spins before yielding its core (to a preempted worker, say). */
    private static final long WAIT_SPIN_NANOS = 20_000;

    /** Ints between two workers' chunk counters: 128 bytes, so no two share a cache-line pair. */
    private static final int PAD = 32;

    /**
     * The state of one dispatch. For chunks, worker w first takes the chunks of its own contiguous
     * share from its own counter (a cache line no other core writes while all is well), then
     * helps the others by taking from their counters; every index below a share's end is handed
     * out exactly once because each counter only grows.
     */
    private static final class Dispatch {
        final Job job;
        final ChunkBody chunks;
        final int total;
        final int workers;
        /** Next chunk of worker w's share at [w * PAD]; null for a job. */
        final int[] next;
        volatile int done;
        /** The first failure of any worker; once set, chunks not yet started are skipped. */
        volatile Throwable failure;

        Dispatch(Job job, ChunkBody chunks, int total, int workers) {
            this.job = job;
            this.chunks = chunks;
            this.total = total;
            this.workers = workers;
            if (chunks == null) {
                next = null;
            } else {
                next = new int[workers * PAD];
                for (int w = 0; w < workers; w++) next[w * PAD] = shareStart(w);
            }
        }

        int shareStart(int w) {
            return (int) ((long) total * w / workers);
        }

        /** Records a failure: the first one is rethrown, later ones are attached to it. */
        synchronized void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            } else if (failure != t) {
                failure.addSuppressed(t);
            }
        }
    }

    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle DONE;

    static {
        try {
            DONE = MethodHandles.lookup().findVarHandle(Dispatch.class, "done", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int threads;
    private final GemmBackend gemm;
    private final Worker[] workers;
    private volatile Dispatch current;
    private volatile int parked;
    private volatile boolean closed;
    /** The thread whose dispatch is running (set and cleared under the pool's lock), or null. */
    private volatile Thread dispatching;
    /** Held for each dispatch; fair, so waiting callers get it in arrival order. */
    private final ReentrantLock lock = new ReentrantLock(true);
    /** When the lock was last released, and by whom ({@link #yieldToOthers}). */
    private volatile long lastRelease;
    private volatile Thread lastReleaser;
    /** How soon after another caller's dispatch that caller still counts as using the pool. */
    private static final long OTHERS_GAP_NANOS = 1_000_000;

    public Parallel(int threads) {
        this(threads, null);
    }

    /**
     * A pool whose many-row linear layers go to a native GEMM ({@link MatMul#offloads}); null
     * keeps them in Java. The backend rides on the pool because every kernel call already gets
     * the pool: no signature had to change for it.
     */
    public Parallel(int threads, GemmBackend gemm) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        this.threads = threads;
        this.gemm = gemm;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Worker t = new Worker(this, i + 1);
            workers[i] = t;
            t.start();
        }
    }

    /** A pool thread; knowing its pool lets a dispatch from inside a job be refused. */
    private static final class Worker extends Thread {
        final Parallel pool;
        final int index;

        Worker(Parallel pool, int index) {
            super("qwen-asr-worker-" + index);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            pool.workerLoop(index);
        }
    }

    /** Number of threads including the caller. */
    public int threads() {
        return threads;
    }

    /** The native GEMM for many-row linear layers, or null for the Java kernels. */
    public GemmBackend gemm() {
        return gemm;
    }

    /**
     * Runs body, whose dispatches on this pool then follow each other with no other caller's in
     * between: the pool's lock is held across it (the dispatches inside take it again, which a
     * reentrant lock allows at once). The decode scheduler runs each whole step this way, so a
     * step waits for at most one dispatch of each other caller (a newcomer's encoder or prefill)
     * instead of one per dispatch of its own, about 140 per step (docs/kernels.md 2).
     */
    public void exclusive(Runnable body) {
        refuseNested();
        lock.lock();
        try {
            body.run();
        } finally {
            release();
        }
    }

    /**
     * Lets other callers use the pool for up to budgetNanos: returns at once when none is using
     * it, and as soon as none has for about a millisecond. The decode scheduler calls it after
     * each step with the step's duration, so a newcomer's encoder and prefill and the decode batch
     * get the cores in equal turns of time: the batch waits about one step's time (plus the end
     * of a dispatch) per token, and the newcomer runs at half speed instead of one dispatch per
     * step (docs/modes.md 14).
     */
    public void yieldToOthers(long budgetNanos) {
        Thread me = Thread.currentThread();
        long start = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (now - start >= budgetNanos) return;
            boolean othersBusy = lock.isLocked() || lock.hasQueuedThreads()
                    || (lastReleaser != me && now - lastRelease < OTHERS_GAP_NANOS);
            if (!othersBusy) return;
            LockSupport.parkNanos(this, 20_000);
        }
    }

    private void release() {
        lastReleaser = Thread.currentThread();
        lastRelease = System.nanoTime();
        lock.unlock();
    }

    /** Runs the job on every worker and returns when all have finished. */
    public void run(Job j) {
        refuseNested();
        lock.lock();
        try {
            if (threads == 1) {
                checkOpen();
                j.run(0, 1);
                return;
            }
            Dispatch d = publish(new Dispatch(j, null, threads - 1, threads));
            Throwable mine = null;
            try {
                j.run(0, threads);
            } catch (Throwable t) {
                mine = t;
            } finally {
                awaitDone(d);
                dispatching = null;
            }
            // The caller's own failure first, a worker's attached to it.
            Throwable theirs = d.failure;
            if (mine != null && theirs != null && theirs != mine) mine.addSuppressed(theirs);
            rethrow(mine != null ? mine : theirs);
        } finally {
            release();
        }
    }

    /**
     * Runs body(c) for every chunk c in [0, chunks), handing chunks out one at a time from a shared
     * counter; returns when all chunks have finished. Chunks should be small (tens of
     * microseconds) and independent.
     */
    public void forChunks(int chunks, ChunkBody body) {
        refuseNested();
        lock.lock();
        try {
            if (threads == 1 || chunks <= 1) {
                checkOpen();
                for (int c = 0; c < chunks; c++) body.run(c);
                return;
            }
            Dispatch d = publish(new Dispatch(null, body, chunks, threads));
            try {
                claimChunks(d, 0); // never throws: failures are recorded in d
            } finally {
                awaitDone(d);
                dispatching = null;
            }
            rethrow(d.failure);
        } finally {
            release();
        }
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
        forChunks(n, body::accept);
    }

    /**
     * A dispatch from inside a job of this pool would deadlock (a worker waits for the lock its
     * caller holds while the caller waits for it) or replace the dispatch the workers are joining.
     */
    private void refuseNested() {
        Thread me = Thread.currentThread();
        if ((me instanceof Worker w && w.pool == this) || dispatching == me) {
            throw new IllegalStateException("a parallel dispatch was started from inside a job of the same pool");
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("thread pool is closed");
    }

    private Dispatch publish(Dispatch d) {
        checkOpen();
        dispatching = Thread.currentThread();
        current = d;
        // A parked worker is woken; one that is spinning sees `current` change by itself.
        if (parked != 0) {
            for (Thread w : workers) LockSupport.unpark(w);
        }
        return d;
    }

    /**
     * Takes chunks of worker w's share, then of the other shares, until none are left; returns
     * with every chunk it took counted as done. A chunk's failure is recorded in the dispatch and
     * the chunks taken after it are counted without running, so the caller alone (worker 0) always
     * claims every chunk that nobody else took, and the dispatch ends however many threads failed.
     */
    private static void claimChunks(Dispatch d, int w) {
        int mine = 0;
        for (int i = 0; i < d.workers; i++) {
            int v = (w + i) % d.workers;
            int end = d.shareStart(v + 1);
            for (int c = (int) NEXT.getAndAdd(d.next, v * PAD, 1); c < end; c = (int) NEXT.getAndAdd(d.next, v * PAD, 1)) {
                mine++;
                if (d.failure != null) continue;
                try {
                    d.chunks.run(c);
                } catch (Throwable t) {
                    d.fail(t);
                }
            }
        }
        if (mine > 0) DONE.getAndAdd(d, mine);
    }

    /** Waits until the dispatch's count of finished work reaches its total: spin first, then yield. */
    private static void awaitDone(Dispatch d) {
        if (d.done == d.total) return;
        long start = System.nanoTime();
        while (d.done != d.total) {
            if (System.nanoTime() - start < WAIT_SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private static void rethrow(Throwable f) {
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error er) throw er;
        if (f != null) throw new RuntimeException(f);
    }

    private void workerLoop(int id) {
        Dispatch seen = null;
        while (true) {
            // A dispatch published before close() is still served: its caller is waiting for it.
            Dispatch d = current;
            if (d != seen && d != null) {
                seen = d;
                if (d.job != null) {
                    try {
                        d.job.run(id, threads);
                    } catch (Throwable t) {
                        d.fail(t);
                    } finally {
                        DONE.getAndAdd(d, 1);
                    }
                } else {
                    claimChunks(d, id);
                }
                continue;
            }
            if (closed) return;
            long start = System.nanoTime();
            while (current == seen && !closed && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
            if (current == seen && !closed) {
                PARKED.getAndAdd(this, 1);
                // Re-check after announcing: publish() reads `parked` after writing `current`.
                if (current == seen && !closed) LockSupport.parkNanos(this, 5_000_000);
                PARKED.getAndAdd(this, -1);
            }
        }
    }

    private static final VarHandle PARKED;

    static {
        try {
            PARKED = MethodHandles.lookup().findVarHandle(Parallel.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Stops the workers once they are idle; a second call does nothing. Waits for a dispatch in
     * progress on another thread (it holds the lock), so that one still ends normally.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Thread w : workers) LockSupport.unpark(w);
        } finally {
            release();
        }
    }
}
