package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The worker pool under failure: whatever a job or chunk throws, on the calling thread, on a worker
 * or on both, the dispatch ends with that exception instead of waiting for work nobody will do, and
 * the next dispatch runs normally. A stuck pool would hang the test, so every test has a deadline.
 */
class ParallelTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** A normal dispatch of each kind gives the exact result: the pool is usable. */
    private static void assertPoolWorks(Parallel pool) {
        int n = 10_000;
        long[] perChunk = new long[n];
        pool.forChunks(n, c -> perChunk[c] = c + 1L);
        assertEquals((long) n * (n + 1) / 2, Arrays.stream(perChunk).sum());
        long[] perWorker = new long[pool.threads()];
        pool.run((w, ws) -> perWorker[w] = 1);
        long[] ones = new long[pool.threads()];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, perWorker, "every worker ran the job once");
        AtomicLong covered = new AtomicLong();
        pool.forRange(1000, 8, (s, e) -> covered.addAndGet(e - s));
        assertEquals(1000, covered.get());
    }

    @Test
    void aWorkersFailureInAJobReachesTheCaller() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (Parallel pool = new Parallel(3)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run((w, ws) -> {
                    if (w == 2) throw new IllegalStateException("worker 2 failed");
                }));
                assertEquals("worker 2 failed", e.getMessage());
                assertPoolWorks(pool);
            }
        });
    }

    @Test
    void callerAndWorkerFailingInOneJobGiveTheCallersFailureWithTheOtherSuppressed() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (Parallel pool = new Parallel(2)) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> pool.run((w, ws) -> {
                    throw new RuntimeException("failed on worker " + w);
                }));
                assertEquals("failed on worker 0", e.getMessage());
                assertEquals(1, e.getSuppressed().length, "the worker's failure is kept as suppressed");
                assertEquals("failed on worker 1", e.getSuppressed()[0].getMessage());
                assertPoolWorks(pool);
            }
        });
    }

    @Test
    void chunksFailingOnEveryThreadEndTheDispatch() {
        // The caller and each worker stop at their first chunk: the chunks nobody took must not be waited for.
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (Parallel pool = new Parallel(4)) {
                for (int round = 0; round < 20; round++) {
                    ArithmeticException e = assertThrows(ArithmeticException.class,
                            () -> pool.forChunks(5_000, c -> {
                                throw new ArithmeticException("chunk " + c);
                            }));
                    assertTrue(e.getMessage().startsWith("chunk "), e.getMessage());
                }
                assertPoolWorks(pool);
            }
        });
    }

    @Test
    void aChunkFailingOnAWorkerOnlyReachesTheCaller() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (Parallel pool = new Parallel(2)) {
                int chunks = 100;
                Thread caller = Thread.currentThread();
                CountDownLatch workerArrived = new CountDownLatch(1);
                AtomicReference<Thread> failedOn = new AtomicReference<>();
                // Chunk 0 (the caller's first) waits for the worker, which starts at its own share (chunk 50).
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.forChunks(chunks, c -> {
                    if (Thread.currentThread() == caller) {
                        if (c == 0) await(workerArrived);
                        return;
                    }
                    workerArrived.countDown();
                    failedOn.set(Thread.currentThread());
                    throw new IllegalArgumentException("bad chunk " + c);
                }));
                assertTrue(e.getMessage().startsWith("bad chunk "), e.getMessage());
                assertTrue(failedOn.get() != null && failedOn.get() != caller);
                assertPoolWorks(pool);
            }
        });
    }

    @Test
    void aDispatchFromInsideAJobFailsInsteadOfDeadlocking() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (Parallel pool = new Parallel(2)) {
                // From a worker: it would wait for the pool's lock, held by the caller waiting for it.
                IllegalStateException fromWorker = assertThrows(IllegalStateException.class, () -> pool.run((w, ws) -> {
                    if (w == 1) pool.forChunks(4, c -> { });
                }));
                assertTrue(fromWorker.getMessage().contains("from inside"), fromWorker.getMessage());
                // From the caller's own share: it would replace the dispatch the workers are still to join.
                IllegalStateException fromCaller = assertThrows(IllegalStateException.class, () -> pool.forChunks(8, c -> {
                    if (c == 0) pool.run((w, ws) -> { });
                }));
                assertTrue(fromCaller.getMessage().contains("from inside"), fromCaller.getMessage());
                assertPoolWorks(pool);
            }
        });
    }

    @Test
    void errorsAreRethrownAsThemselves() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (Parallel pool = new Parallel(2)) {
                StackOverflowError soe = new StackOverflowError("deep");
                assertSame(soe, assertThrows(StackOverflowError.class, () -> pool.run((w, ws) -> {
                    if (w == 1) throw soe;
                })));
                assertPoolWorks(pool);
            }
        });
    }

    @Test
    void closeTwiceIsHarmlessAndLaterDispatchesFailClearly() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            for (int threads : new int[] {1, 3}) {
                Parallel pool = new Parallel(threads);
                assertPoolWorks(pool);
                pool.close();
                assertDoesNotThrow(pool::close);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run((w, ws) -> { }));
                assertEquals("thread pool is closed", e.getMessage());
                assertThrows(IllegalStateException.class, () -> pool.forChunks(10, c -> { }));
            }
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) throw new AssertionError("the worker never took a chunk");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
