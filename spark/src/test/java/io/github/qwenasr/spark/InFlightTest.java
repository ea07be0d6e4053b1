package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InFlightTest {
    @Test
    void resultsComeInInputOrderWithAtMostJobsRunning() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger pulled = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        Iterator<Integer> input = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < 40;
            }

            @Override
            public Integer next() {
                pulled.incrementAndGet();
                maxAhead.accumulateAndGet(pulled.get() - consumed.get(), Math::max);
                return next++;
            }
        };
        List<Integer> out = new ArrayList<>();
        try (InFlight<Integer, Integer> f = new InFlight<>(input, 3, i -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep((i * 7) % 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return i * i;
        })) {
            while (f.hasNext()) {
                out.add(f.next());
                consumed.incrementAndGet();
            }
        }
        assertEquals(IntStream.range(0, 40).map(i -> i * i).boxed().toList(), out);
        assertTrue(peak.get() <= 3, "peak " + peak.get());
        assertTrue(peak.get() >= 2, "never ran two at once");
        // The input is read lazily: at most one window (plus the refill after a take) ahead of the consumer.
        assertTrue(maxAhead.get() <= 4, "read " + maxAhead.get() + " ahead");
    }

    @Test
    void aFailureReachesTheConsumer() {
        try (InFlight<Integer, Integer> f = new InFlight<>(List.of(1, 2, 3).iterator(), 2, i -> {
            if (i == 2) throw new IllegalStateException("boom " + i);
            return i;
        })) {
            assertEquals(1, f.next());
            IllegalStateException e = assertThrows(IllegalStateException.class, f::next);
            assertEquals("boom 2", e.getMessage());
        }
    }

    @Test
    void anEmptyInputEndsAtOnce() {
        try (InFlight<Integer, Integer> f = new InFlight<>(List.<Integer>of().iterator(), 4, i -> i)) {
            assertTrue(!f.hasNext());
        }
    }
}
