package io.github.qwenasr.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Maps an iterator with up to {@code jobs} elements being worked on at once, giving the results in
 * input order. Within a Spark task this keeps several transcriptions of the partition in flight on
 * the executor's one model (which decodes them together once the core batches decoding), while
 * reading the input lazily: at most {@code jobs} inputs are held.
 */
public final class InFlight<I, O> implements Iterator<O>, AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Iterator<I> input;
    private final Function<I, O> work;
    private final int jobs;
    private final ExecutorService pool;
    private final Deque<Future<O>> window = new ArrayDeque<>();

    public InFlight(Iterator<I> input, int jobs, Function<I, O> work) {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        this.input = input;
        this.work = work;
        this.jobs = jobs;
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "qwen-asr-inflight-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean hasNext() {
        fill();
        if (window.isEmpty()) {
            pool.shutdown();
            return false;
        }
        return true;
    }

    @Override
    public O next() {
        if (!hasNext()) throw new NoSuchElementException();
        Future<O> head = window.removeFirst();
        fill();
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while transcribing", e);
        } catch (ExecutionException e) {
            close();
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    private void fill() {
        while (window.size() < jobs && input.hasNext()) {
            I item = input.next();
            window.addLast(pool.submit(() -> work.apply(item)));
        }
    }

    /** Stops the work in flight (a killed task) and frees the threads. */
    @Override
    public void close() {
        for (Future<O> f : window) f.cancel(true);
        window.clear();
        pool.shutdownNow();
    }
}
