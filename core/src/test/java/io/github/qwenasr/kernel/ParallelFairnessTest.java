package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Callers sharing one pool take turns one dispatch at a time in arrival order (the decode batch and
 * newcomers' encoder and prefill dispatches, docs/modes.md 14): callers that queue while a dispatch
 * runs get the pool in the order they came, and the holder, dispatching again at once, comes after
 * them.
 */
class ParallelFairnessTest {
    private static boolean blocked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.BLOCKED;
    }

    @Test
    void callersGetThePoolInArrivalOrder() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Parallel pool = new Parallel(2)) {
                List<String> order = new CopyOnWriteArrayList<>();
                List<Thread> waiters = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String name = "waiter " + i;
                    waiters.add(new Thread(() -> pool.forChunks(4, c -> {
                        if (c == 0) order.add(name);
                    })));
                }
                for (int round = 0; round < 2; round++) {
                    int r = round;
                    pool.forChunks(4, c -> {
                        if (c != 0) return;
                        order.add("holder " + r);
                        if (r == 0) {
                            // The waiters queue one after another while this dispatch runs.
                            for (Thread w : waiters) {
                                w.start();
                                while (!blocked(w)) Thread.onSpinWait();
                            }
                        }
                    });
                }
                for (Thread w : waiters) w.join();
                assertEquals(List.of("holder 0", "waiter 0", "waiter 1", "waiter 2", "waiter 3", "holder 1"), order);
            }
        });
    }

    /**
     * A caller holding the pool across several dispatches ({@link Parallel#exclusive}, as a decode
     * step does) runs them back to back: callers that queued meanwhile come after all of them, in
     * their arrival order. A dispatch from a worker inside it is still refused.
     */
    @Test
    void anExclusiveCallerKeepsItsTurnAcrossDispatches() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Parallel pool = new Parallel(2)) {
                List<String> order = new CopyOnWriteArrayList<>();
                List<Thread> waiters = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String name = "waiter " + i;
                    waiters.add(new Thread(() -> pool.forChunks(4, c -> {
                        if (c == 0) order.add(name);
                    })));
                }
                pool.exclusive(() -> {
                    for (int d = 0; d < 3; d++) {
                        int n = d;
                        pool.forChunks(4, c -> {
                            if (c != 0) return;
                            order.add("step dispatch " + n);
                            if (n == 0) {
                                for (Thread w : waiters) {
                                    w.start();
                                    while (!blocked(w)) Thread.onSpinWait();
                                }
                            }
                        });
                    }
                });
                for (Thread w : waiters) w.join();
                assertEquals(List.of("step dispatch 0", "step dispatch 1", "step dispatch 2", "waiter 0", "waiter 1"), order);

                List<Throwable> refused = new CopyOnWriteArrayList<>();
                pool.exclusive(() -> pool.run((w, ws) -> {
                    if (w == 1) {
                        try {
                            pool.exclusive(() -> {});
                        } catch (IllegalStateException e) {
                            refused.add(e);
                        }
                    }
                }));
                assertEquals(1, refused.size(), "a worker's exclusive() inside a dispatch is refused");
            }
        });
    }

    /**
     * {@link Parallel#yieldToOthers}: with nobody else on the pool it returns at once; while another
     * caller holds the pool it waits its whole budget; once that caller is done it returns soon, not
     * at the end of its budget. So the decode batch and a newcomer's encoder and prefill get equal
     * turns of time, and the batch never waits for an idle pool.
     */
    @Test
    void yieldingWaitsOnlyWhileOthersUseThePool() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Parallel pool = new Parallel(2)) {
                pool.forChunks(4, c -> {});
                long t0 = System.nanoTime();
                pool.yieldToOthers(5_000_000_000L);
                long alone = System.nanoTime() - t0;
                assertTrue(alone < 1_000_000_000L, "returned after " + alone / 1_000_000 + " ms with nobody else on the pool");

                long waited = yieldBeside(pool, 700, 300);
                assertTrue(waited >= 300_000_000L, "yielded only " + waited / 1_000_000 + " ms of a 300 ms budget while another caller held the pool");
                long short_ = yieldBeside(pool, 200, 20_000);
                assertTrue(short_ < 10_000_000_000L, "yielded " + short_ / 1_000_000 + " ms after the other caller's 200 ms dispatch ended");
            }
        });
    }

    /** Nanoseconds a yieldToOthers(budgetMs) took while another thread held the pool in one dispatch of holdMs. */
    private static long yieldBeside(Parallel pool, long holdMs, long budgetMs) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Thread other = new Thread(() -> pool.run((w, ws) -> {
            if (w == 0) {
                holding.countDown();
                LockSupport.parkNanos(holdMs * 1_000_000L);
            }
        }));
        other.start();
        holding.await();
        long t = System.nanoTime();
        pool.yieldToOthers(budgetMs * 1_000_000L);
        long waited = System.nanoTime() - t;
        other.join();
        return waited;
    }
}
