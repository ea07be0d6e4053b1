package io.github.qwenasr.generate;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.DecodeStats;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.decoder.TextDecoder;
import io.github.qwenasr.engine.EngineAccess;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.kernel.Parallel;
import io.github.qwenasr.tools.Preset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The model's decode scheduler: sequences that join and leave the shared batch at different steps
 * get exactly the tokens they get decoding alone, failures stay with their own sequence, and
 * closing ends what is in flight.
 */
class DecodeSchedulerTest {
    /** A prompt of random token ids (no audio) and the token limit it decodes with. */
    private record Prompt(int[] ids, int limit) {
        float[] embeds(TextDecoder dec) {
            int h = dec.config().hidden();
            float[] x = new float[ids.length * h];
            for (int p = 0; p < ids.length; p++) System.arraycopy(dec.embedToken(ids[p]), 0, x, p * h, h);
            return x;
        }
    }

    private record Solo(int[] tokens, DecodeSequence.Finish finish) {}

    private static List<Prompt> prompts(int count, long seed) {
        Random r = new Random(seed);
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] ids = new int[5 + r.nextInt(56)];
            for (int p = 0; p < ids.length; p++) ids[p] = r.nextInt(150_000);
            out.add(new Prompt(ids, 8 + 4 * i));
        }
        return out;
    }

    /** The prompt decoded by a sequence of its own (no scheduler): the reference. */
    private static Solo alone(Model m, Prompt p) {
        DecodeSequence s = new DecodeSequence(m.decoder(), m.pool(), m.tokens()::isEnd);
        s.prefill(p.embeds(m.decoder()), p.ids().length, p.limit());
        s.run();
        return new Solo(s.tokens(), s.finish());
    }

    @Test
    void sequencesJoiningAndLeavingAtDifferentStepsGetTheirSoloTokens() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2)) {
            Model m = EngineAccess.model(asr);
            List<Prompt> prompts = prompts(8, 11);
            List<Solo> solo = new ArrayList<>();
            for (Prompt p : prompts) solo.add(alone(m, p));
            for (Solo s : solo) assertTrue(s.tokens().length >= 3, "a reference decode ended too early to test with");

            int n = prompts.size();
            int clock = n - 1;   // the longest: the others join as it produces its tokens
            int cancelled = 3;
            int throwing = 5;
            CountDownLatch[] gates = new CountDownLatch[n];
            for (int i = 0; i < n; i++) gates[i] = new CountDownLatch(i == clock ? 0 : 1);
            AtomicBoolean cancel = new AtomicBoolean();
            AtomicInteger clockTokens = new AtomicInteger();
            DecodeSequence[] seqs = new DecodeSequence[n];
            ExecutorService threads = Executors.newFixedThreadPool(n);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int idx = i;
                    results.add(threads.submit(() -> {
                        gates[idx].await();
                        Prompt p = prompts.get(idx);
                        DecodeSequence s = m.newSequence();
                        seqs[idx] = s;
                        AtomicInteger own = new AtomicInteger();
                        s.listener(id -> {
                            int t = own.incrementAndGet();
                            if (idx == clock) {
                                // Sequence t joins once the clock has chosen t tokens: joins at different steps.
                                if (t < n) gates[t - 1].countDown();
                            } else if (idx == cancelled && t == 4) {
                                cancel.set(true);
                            } else if (idx == throwing && t == 5) {
                                throw new IllegalStateException("listener of sequence " + idx + " failed");
                            }
                        });
                        if (idx == cancelled) s.cancellation(cancel::get);
                        try {
                            s.prefill(p.embeds(m.decoder()), p.ids().length, p.limit());
                            s.run();
                        } finally {
                            if (idx == clock) for (CountDownLatch g : gates) g.countDown();
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < n; i++) {
                    Future<?> f = results.get(i);
                    if (i == cancelled) {
                        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(120, TimeUnit.SECONDS));
                        assertInstanceOf(CancellationException.class, e.getCause());
                        assertArrayEquals(Arrays.copyOf(solo.get(i).tokens(), 4), seqs[i].tokens(), "cancelled sequence's tokens");
                    } else if (i == throwing) {
                        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(120, TimeUnit.SECONDS));
                        assertEquals("listener of sequence 5 failed", e.getCause().getMessage());
                        assertArrayEquals(Arrays.copyOf(solo.get(i).tokens(), 5), seqs[i].tokens(), "failed sequence's tokens");
                    } else {
                        f.get(120, TimeUnit.SECONDS);
                        assertArrayEquals(solo.get(i).tokens(), seqs[i].tokens(), "sequence " + i + " in the batch vs alone");
                        assertEquals(solo.get(i).finish(), seqs[i].finish(), "sequence " + i + " finish");
                    }
                }
            } finally {
                threads.shutdownNow();
            }
            DecodeStats stats = asr.decodeStats();
            long sizes = stats.stepsByBatchSize().stream().filter(c -> c > 0).count();
            assertTrue(sizes >= 3, "the batch size should vary: " + stats.stepsByBatchSize());
            assertTrue(stats.largestBatch() >= 4, "largest batch " + stats.largestBatch());
            assertEquals(0, stats.active());
            assertEquals(0, stats.waiting());
            assertEquals(n, stats.finished());
            long rows = 0;
            for (int b = 0; b < stats.stepsByBatchSize().size(); b++) rows += b * stats.stepsByBatchSize().get(b);
            assertEquals(rows, stats.rows());
        }
    }

    @Test
    void aListenerThatStartsADecodeFailsClearly() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 1)) {
            Model m = EngineAccess.model(asr);
            Prompt p = prompts(2, 3).get(1);
            DecodeSequence inner = m.newSequence();
            inner.prefill(p.embeds(m.decoder()), p.ids().length, 4);
            DecodeSequence outer = m.newSequence().listener(id -> inner.run());
            outer.prefill(p.embeds(m.decoder()), p.ids().length, 4);
            IllegalStateException e = assertThrows(IllegalStateException.class, outer::run);
            assertTrue(e.getMessage().contains("inside a token listener"), e.getMessage());
            // The decode thread goes on serving others.
            inner.run();
            assertEquals(alone(m, new Prompt(p.ids(), 4)).tokens().length, inner.tokens().length);
        }
    }

    @Test
    void closingEndsTheSequencesInFlightAndRefusesNewOnes() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2)) {
            Model m = EngineAccess.model(asr);
            // A scheduler of its own, so the model stays usable for the prefills.
            DecodeScheduler scheduler = new DecodeScheduler(m.decoder(), m.pool(), new DecodeScheduler.Limits(8, 1L << 30));
            List<Prompt> prompts = prompts(3, 17);
            CountDownLatch started = new CountDownLatch(prompts.size());
            ExecutorService threads = Executors.newFixedThreadPool(prompts.size());
            try {
                List<Future<?>> results = new ArrayList<>();
                for (Prompt p : prompts) {
                    DecodeSequence s = new DecodeSequence(m.decoder(), m.pool(), id -> false, scheduler);
                    AtomicInteger seen = new AtomicInteger();
                    s.listener(id -> {
                        if (seen.incrementAndGet() == 2) started.countDown();
                    });
                    s.prefill(p.embeds(m.decoder()), p.ids().length, 50_000);
                    results.add(threads.submit(() -> {
                        s.run();
                        return null;
                    }));
                }
                assertTrue(started.await(60, TimeUnit.SECONDS), "sequences did not start");
                scheduler.close();
                for (Future<?> f : results) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
                    assertInstanceOf(QwenAsrException.class, e.getCause());
                    assertEquals("the model was closed while this sequence was decoding", e.getCause().getMessage());
                }
                DecodeSequence late = new DecodeSequence(m.decoder(), m.pool(), id -> false, scheduler);
                late.prefill(prompts.get(0).embeds(m.decoder()), prompts.get(0).ids().length, 4);
                QwenAsrException e = assertThrows(QwenAsrException.class, late::run);
                assertEquals("model is closed", e.getMessage());
                assertDoesNotThrow(scheduler::close);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void theKvBudgetKeepsALargeSequenceWaitingButNeverAlone() throws Exception {
        try (QwenAsr asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 1)) {
            Model m = EngineAccess.model(asr);
            Parallel pool = m.pool();
            long perPosition = m.decoder().kvBytesPerPosition();
            List<Prompt> prompts = prompts(4, 23);
            // A budget of the smallest sequence's positions: no two fit together, and the larger
            // ones, each over the budget by itself, still run (alone).
            long budget = Long.MAX_VALUE;
            for (Prompt p : prompts) budget = Math.min(budget, (p.ids().length + p.limit() + 1) * perPosition);
            DecodeScheduler scheduler = new DecodeScheduler(m.decoder(), pool, new DecodeScheduler.Limits(8, budget));
            ExecutorService threads = Executors.newFixedThreadPool(prompts.size());
            try {
                List<Future<int[]>> results = new ArrayList<>();
                for (Prompt p : prompts) {
                    DecodeSequence s = new DecodeSequence(m.decoder(), pool, m.tokens()::isEnd, scheduler);
                    s.prefill(p.embeds(m.decoder()), p.ids().length, p.limit());
                    results.add(threads.submit(() -> s.run().tokens()));
                }
                for (int i = 0; i < prompts.size(); i++) {
                    assertArrayEquals(alone(m, prompts.get(i)).tokens(), results.get(i).get(120, TimeUnit.SECONDS));
                }
                DecodeStats stats = scheduler.stats();
                assertEquals(1, stats.largestBatch(), "the budget admits one sequence at a time: " + stats);
                assertEquals(4, stats.finished());
            } finally {
                threads.shutdownNow();
                scheduler.close();
            }
        }
    }
}
