package io.github.qwenasr.stream;

import io.github.qwenasr.engine.EngineAccess;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.Resampler;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.engine.Model;
import io.github.qwenasr.generate.DecodeSequence;
import io.github.qwenasr.mel.LogMel;
import io.github.qwenasr.prompt.PromptBuilder;
import io.github.qwenasr.prompt.PyStrings;
import io.github.qwenasr.tokenizer.Tokenizer;
import io.github.qwenasr.tools.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Streaming sessions that really stream (docs/modes.md 6, 12.1.13): audio pushed in small pieces, at
 * 16 kHz and at 44.1 kHz, on the tiny random-weight model. Its words are meaningless, so the
 * tests check the algorithm's guarantees: growth-only committed text, step counts, equality with
 * independent decodes where the algorithm makes them equal, prefill reuse, bounded state,
 * cancellation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingSessionTest {
    private static final int RATE = 16000;
    private QwenAsr asr;
    private float[] twenty;
    private float[] five;

    @BeforeAll
    void load() throws IOException {
        asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2);
        twenty = clip("notld_20s_no_authentic_way_for_us_to_say.wav");
        five = clip("notld_5s_dont_worry_about_him.wav");
    }

    @AfterAll
    void close() {
        asr.close();
    }

    private static float[] clip(String name) {
        Path wav = TestModels.shared().resolve("data/audio").resolve(name);
        assertTrue(Files.isRegularFile(wav), "missing fixture " + wav);
        return AudioLoader.load16k(wav);
    }

    /** Everything a streamed run produced. */
    private record Run(String text, List<StreamUpdate> updates, List<StreamingSession.StepTrace> steps, String language) {}

    private Run stream(float[] pcm, int rate, double pieceSeconds, StreamOptions o, boolean reuse) {
        List<StreamUpdate> updates = new ArrayList<>();
        List<StreamingSession.StepTrace> steps = new ArrayList<>();
        try (StreamingSession s = asr.openStream(o)) {
            s.setTracer(steps::add);
            s.setPrefillReuse(reuse);
            int piece = (int) Math.round(pieceSeconds * rate);
            for (int off = 0; off < pcm.length; off += piece) {
                updates.add(s.push(pcm, off, Math.min(piece, pcm.length - off), rate));
            }
            StreamUpdate last = s.finish();
            updates.add(last);
            return new Run(last.committedText(), updates, steps, last.language());
        }
    }

    private static void assertGrowOnly(Run r) {
        String before = "";
        int chunks = 0;
        int stepsSeen = 0;
        for (StreamUpdate u : r.updates()) {
            assertEquals(before + u.committedDelta(), u.committedText(), "delta must be the new suffix");
            assertFalse(u.committedText().contains("\uFFFD") && !before.contains("\uFFFD") && !u.finished()
                    && u.committedDelta().endsWith("\uFFFD"), "a split character was released as U+FFFD");
            assertTrue(u.chunks() >= chunks);
            stepsSeen += u.stepMillis().size();
            assertEquals(stepsSeen, u.chunks(), "stepMillis lists exactly the steps of each call");
            before = u.committedText();
            chunks = u.chunks();
        }
        assertTrue(r.updates().get(r.updates().size() - 1).finished());
        assertEquals("", r.updates().get(r.updates().size() - 1).tentativeText());
    }

    @Test
    void smallPiecesAt16kCommitGrowOnlyText() {
        StreamOptions o = StreamOptions.defaults();
        Run r = stream(twenty, RATE, 0.37, o, true);
        assertGrowOnly(r);
        int chunk = (int) Math.round(o.chunkSeconds() * RATE);
        assertEquals((twenty.length + chunk - 1) / chunk, r.steps().size(), "steps = ceil(duration / chunk)");
        assertTrue(r.steps().get(r.steps().size() - 1).isFinal());
        assertFalse(r.text().isEmpty());
        // Cold start: the first two steps commit nothing.
        assertEquals("", r.updates().stream().filter(u -> u.chunks() <= 2).map(StreamUpdate::committedText)
                .reduce("", (a, b) -> b));
    }

    @Test
    void pushesAt44kThroughTheStreamingResampler() {
        float[] x44 = Resampler.resample(Arrays.copyOf(twenty, 9 * RATE), RATE, 44100);
        StreamOptions o = StreamOptions.defaults().withMaxNewTokens(12);
        Run r = stream(x44, 44100, 0.37, o, true);
        assertGrowOnly(r);
        long n16 = (long) x44.length * RATE / 44100;
        int chunk = (int) Math.round(o.chunkSeconds() * RATE);
        assertEquals((n16 + chunk - 1) / chunk, r.steps().size());
        assertEquals(n16, r.steps().get(r.steps().size() - 1).cursor(), "every resampled sample reaches the decoder");
        // The stateful resampler gives exactly the offline resampling, so the text is that of the 16 kHz stream.
        Run same = stream(Resampler.resample(x44, 44100, RATE), RATE, 1.1, o, true);
        assertEquals(same.text(), r.text());
    }

    @Test
    void singleFinalStepEqualsOfflineTranscription() {
        // A clip shorter than the chunk and than one encoder window: one final step over the same mel,
        // encoder and prompt as offline, committing the whole hypothesis; offline limited to the same 32 tokens.
        assertTrue(five.length < 8 * RATE);
        for (String lang : new String[] {null, "English"}) {
            StreamOptions o = StreamOptions.defaults().withChunkSeconds(10).withLanguage(lang);
            Run r = stream(five, RATE, 0.37, o, true);
            assertEquals(1, r.steps().size());
            Transcription t = asr.transcribe16k(five, TranscribeOptions.defaults().withMaxNewTokens(32).withLanguage(lang));
            assertEquals(t.text(), r.text(), "language " + lang);
            assertEquals(t.language(), r.language());
        }
    }

    @Test
    void conditionedFinalTextEqualsAnIndependentDecodeWithTheSamePrefix() {
        // 5.5 s at 2 s chunks: steps 0 and 1 decode [0, 2 s) and [0, 4 s) from scratch; the final step
        // decodes [0, 5.5 s) after the prefix = step 1's tokens minus the 5 rollback tokens, and commits
        // prefix + continuation. Rebuild that with the offline pieces: offline decode of the first 4 s,
        // then a greedy decode of the offline prompt for 5.5 s followed by the prefix.
        float[] audio = Arrays.copyOf(twenty, 88_000);
        StreamOptions o = StreamOptions.defaults();
        Run r = stream(audio, RATE, 0.37, o, true);
        assertEquals(3, r.steps().size());

        Model model = EngineAccess.model(asr);
        Tokenizer tok = model.tokenizer();
        int[] first4 = asr.transcribe16k(Arrays.copyOf(audio, 64_000),
                TranscribeOptions.defaults().withMaxNewTokens(o.maxNewTokens())).tokens().stream()
                .mapToInt(Integer::intValue).toArray();
        int[] prefix = Arrays.copyOf(first4, Math.max(0, first4.length - o.rollbackTokens()));
        LogMel.Features f = LogMel.compute(audio);
        float[] enc = model.encoder().encode(model.pool(), f.data(), f.frames(),
                io.github.qwenasr.EncoderAttention.WINDOWED);
        int a = model.encoder().tokenCount(f.frames());
        int[] base = PromptBuilder.ids(tok, "", a, null);
        int[] ids = Arrays.copyOf(base, base.length + prefix.length);
        System.arraycopy(prefix, 0, ids, base.length, prefix.length);
        float[] x = model.decoder().embed(ids, model.tokens().audioPad(), enc, a);
        DecodeSequence g = model.newSequence();
        g.prefill(x, ids.length, o.maxNewTokens());
        g.run();
        int[] hypothesis = Arrays.copyOf(prefix, prefix.length + g.tokens().length);
        System.arraycopy(g.tokens(), 0, hypothesis, prefix.length, g.tokens().length);
        int asrText = tok.requireAddedToken("<asr_text>");
        assertTrue(Arrays.stream(hypothesis).noneMatch(t -> t == asrText), "the random model wrote <asr_text>");
        assertEquals(PyStrings.strip(tok.decode(hypothesis, true)), r.text());
    }

    @Test
    void prefillReuseKeepsHeadAndCachedWindowsAndChangesNothing() {
        StreamOptions o = StreamOptions.defaults().withMaxNewTokens(12);
        Run reuse = stream(twenty, RATE, 0.5, o, true);
        List<StreamingSession.StepTrace> s = reuse.steps();
        int checkedWindows = 0;
        for (int i = 1; i < s.size(); i++) {
            StreamingSession.StepTrace prev = s.get(i - 1);
            StreamingSession.StepTrace cur = s.get(i);
            if (prev.reanchor() != DegeneracyDetector.Reason.NONE || prev.periodicReanchor()) continue;
            assertTrue(cur.reusedRows() >= cur.headRows(), "step " + i + ": " + cur);
            // Same cached windows as the step before: their rows are reused too.
            if (cur.windowRowsReusable() > 0 && cur.windowRowsReusable() == prev.windowRowsReusable()
                    && cur.cachedWindows() == prev.cachedWindows()) {
                assertTrue(cur.reusedRows() >= cur.headRows() + cur.windowRowsReusable(), "step " + i + ": " + cur);
                checkedWindows++;
            }
            assertTrue(cur.reusedRows() < cur.inputRows());
        }
        assertTrue(checkedWindows >= 3, "too few steps with cached windows: " + checkedWindows);
        Run full = stream(twenty, RATE, 0.5, o, false);
        for (StreamingSession.StepTrace t : full.steps()) assertEquals(0, t.reusedRows());
        assertEquals(full.text(), reuse.text(), "reuse must not change the tokens");
        for (int i = 0; i < s.size(); i++) assertEquals(full.steps().get(i).generated(), s.get(i).generated());
    }

    @Test
    void tenMinuteStreamKeepsStateBounded() {
        // 10 minutes of speech (clips concatenated), 4 s chunks, two cached windows, a short prefix
        // and no periodic re-anchor, so only the trimming keeps the history bounded.
        String[] names = {"notld_119s_theres_supposed_to_be_another_broadcast.wav", "notld_89s_ill_come_back_down_as_soon_as.wav",
                "notld_60s_i_dont_want_anyones_life_on_my_hands.wav", "notld_45s_right_through_the_billboard.wav"};
        float[] ten = new float[600 * RATE];
        int filled = 0;
        while (filled < ten.length) {
            for (String n : names) {
                float[] c = clip(n);
                int k = Math.min(c.length, ten.length - filled);
                System.arraycopy(c, 0, ten, filled, k);
                filled += k;
                if (filled == ten.length) break;
            }
        }
        StreamOptions o = StreamOptions.defaults().withChunkSeconds(4).withMaxNewTokens(8).withMaxCachedWindows(2)
                .withReanchorChunks(0);
        o = new StreamOptions(o.chunkSeconds(), o.rollbackTokens(), o.unfixedChunks(), o.maxNewTokens(),
                o.maxCachedWindows(), 20, true, null, "", 0);
        Run r = stream(ten, RATE, 1.3, o, true);
        assertGrowOnly(r);
        assertEquals(150, r.steps().size());
        int keep = 20 + 5 + 8 + 64;
        int maxRaw = 0;
        for (StreamingSession.StepTrace t : r.steps()) {
            assertTrue(t.cachedWindows() <= 2, t.toString());
            assertTrue(t.audioRows() <= 3 * 104, t.toString());
            assertTrue(t.rawHeld() <= 2 * keep, t.toString());
            assertTrue(t.committedHeld() <= 2 * keep, t.toString());
            assertTrue(t.audioHeld() <= 128_000 + 64_000 + (int) (1.3 * RATE), t.toString());
            maxRaw = Math.max(maxRaw, t.rawHeld());
        }
        // The history did grow to the trimming point (else the bound was never exercised).
        assertTrue(maxRaw > keep, "raw history peaked at " + maxRaw);
        assertTrue(r.text().length() > 1000);
    }

    @Test
    void cancelFromAnotherThreadStopsARunningPush() throws Exception {
        StreamingSession s = asr.openStream(StreamOptions.defaults());
        CountDownLatch firstStep = new CountDownLatch(1);
        AtomicLong stepsDone = new AtomicLong();
        s.setTracer(t -> {
            stepsDone.incrementAndGet();
            firstStep.countDown();
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicLong endedAt = new AtomicLong();
        float[] minute = Arrays.copyOf(twenty, 60 * RATE);
        Thread worker = new Thread(() -> {
            try {
                s.push(minute, RATE); // 30 steps in one call
            } catch (Throwable t) {
                thrown.set(t);
            }
            endedAt.set(System.nanoTime());
        });
        worker.start();
        assertTrue(firstStep.await(60, TimeUnit.SECONDS), "no step ran");
        long cancelledAt = System.nanoTime();
        s.cancel();
        worker.join(30_000);
        assertFalse(worker.isAlive(), "push did not stop");
        assertTrue(thrown.get() instanceof CancellationException, "got " + thrown.get());
        assertTrue(stepsDone.get() < 30, "push ran to the end: " + stepsDone.get());
        double ms = (endedAt.get() - cancelledAt) / 1e6;
        assertTrue(ms < 5000, "cancel took " + ms + " ms");
        assertThrows(CancellationException.class, () -> s.push(new float[16000], RATE));
        assertThrows(CancellationException.class, s::finish);
    }

    @Test
    void pushWhileAnotherThreadsPushRunsFailsAtOnceAndTheModelStaysUsable() {
        assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            TranscribeOptions offline = TranscribeOptions.defaults().withMaxNewTokens(16);
            String expected = asr.transcribe16k(five, offline).text();
            StreamingSession s = asr.openStream(StreamOptions.defaults().withMaxNewTokens(8));
            CountDownLatch firstStep = new CountDownLatch(1);
            CountDownLatch secondCallTried = new CountDownLatch(1);
            AtomicReference<Thread> owner = new AtomicReference<>();
            // The owner's push pauses after its first step until the second thread has tried, so the calls overlap.
            s.setTracer(t -> {
                if (Thread.currentThread() == owner.get() && firstStep.getCount() > 0) {
                    firstStep.countDown();
                    awaitQuietly(secondCallTried);
                }
            });
            AtomicReference<Throwable> ownerThrew = new AtomicReference<>();
            Thread first = new Thread(() -> {
                try {
                    s.push(Arrays.copyOf(twenty, 40 * RATE), RATE); // 20 steps in one call
                } catch (Throwable t) {
                    ownerThrew.set(t);
                }
            });
            owner.set(first);
            first.start();
            assertTrue(firstStep.await(60, TimeUnit.SECONDS), "no step ran");
            IllegalStateException push = assertThrows(IllegalStateException.class, () -> s.push(five, RATE));
            assertEquals("a streaming session is not thread-safe: push or finish called while another call on it "
                    + "is running", push.getMessage());
            assertThrows(IllegalStateException.class, s::finish);
            secondCallTried.countDown();
            s.cancel(); // allowed from any thread
            first.join(60_000);
            assertFalse(first.isAlive(), "the owner's push did not end");
            assertTrue(ownerThrew.get() instanceof CancellationException, "owner got " + ownerThrew.get());
            // Every other user of the model goes on: the pool is not left waiting.
            assertEquals(expected, asr.transcribe16k(five, offline).text());
            StreamingSession next = asr.openStream(StreamOptions.defaults().withMaxNewTokens(8));
            next.push(five, RATE);
            assertTrue(next.finish().finished());
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closingASessionTwiceDoesNothingTheSecondTime() {
        StreamingSession s = asr.openStream(StreamOptions.defaults());
        s.close();
        assertDoesNotThrow(s::close);
        assertThrows(CancellationException.class, () -> s.push(new float[10], RATE));
    }

    @Test
    void lifecycleErrors() {
        StreamingSession s = asr.openStream(StreamOptions.defaults().withMaxNewTokens(4));
        s.push(new float[1000], 44100);
        assertThrows(QwenAsrException.class, () -> s.push(new float[1000], 48000));
        assertThrows(QwenAsrException.class, () -> s.push(new float[] {Float.NaN}, 44100));
        StreamingSession t = asr.openStream(StreamOptions.defaults());
        StreamUpdate u = t.finish();
        assertTrue(u.finished());
        assertEquals("", u.committedText());
        assertEquals(0, u.chunks());
        assertThrows(QwenAsrException.class, () -> t.push(new float[10], RATE));
        assertThrows(QwenAsrException.class, t::finish);
        assertThrows(QwenAsrException.class, () -> asr.openStream(StreamOptions.defaults().withLanguage("Klingon")));
    }

    @Test
    void finishWithoutNewAudioFlushesTheTentativeTail() {
        // 6 s = exactly three chunks, all run during push; finish must still commit the rollback tail.
        StreamOptions o = StreamOptions.defaults().withMaxNewTokens(10);
        StreamingSession s = asr.openStream(o);
        StreamUpdate pushed = s.push(Arrays.copyOf(twenty, 6 * RATE), RATE);
        assertEquals(3, pushed.chunks());
        assertFalse(pushed.tentativeText().isEmpty());
        StreamUpdate done = s.finish();
        assertEquals(3, done.chunks(), "no extra decoding step");
        assertEquals(0, done.stepMillis().size());
        assertFalse(done.committedDelta().isEmpty(), "the tentative tail was not flushed");
        assertTrue(done.committedText().contains(PyStrings.strip(pushed.tentativeText())));
    }

    @Test
    void concurrentSessionsOnOneModelMatchSequentialRuns() throws Exception {
        StreamOptions o = StreamOptions.defaults().withMaxNewTokens(8);
        float[] a = Arrays.copyOf(twenty, 10 * RATE);
        float[] b = Arrays.copyOfRange(twenty, 8 * RATE, 18 * RATE);
        String expectA = stream(a, RATE, 0.7, o, true).text();
        String expectB = stream(b, RATE, 0.7, o, true).text();
        AtomicReference<String> gotA = new AtomicReference<>();
        AtomicReference<String> gotB = new AtomicReference<>();
        Thread ta = new Thread(() -> gotA.set(stream(a, RATE, 0.7, o, true).text()));
        Thread tb = new Thread(() -> gotB.set(stream(b, RATE, 0.7, o, true).text()));
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        assertEquals(expectA, gotA.get());
        assertEquals(expectB, gotB.get());
    }

    @Test
    void pastTextOffDecodesEachContextFromScratch() {
        StreamOptions o = StreamOptions.defaults().withPastText(false).withMaxNewTokens(10);
        Run r = stream(twenty, RATE, 0.37, o, true);
        assertGrowOnly(r);
        for (StreamingSession.StepTrace t : r.steps()) {
            // No prefix: the input is the framing and the audio only, and no periodic re-anchor.
            assertEquals(t.headRows() + t.audioRows() + 6, t.inputRows(), t.toString());
            assertFalse(t.periodicReanchor());
        }
    }

    @Test
    void periodicReanchorResetsTheCommittedListToTheCarriedTail() {
        for (String lang : new String[] {null, "English"}) {
            StreamOptions o = StreamOptions.defaults().withReanchorChunks(3).withMaxNewTokens(12).withLanguage(lang);
            Run r = stream(twenty, RATE, 0.37, o, true);
            assertGrowOnly(r);
            List<StreamingSession.StepTrace> s = r.steps();
            int checked = 0;
            for (int i = 0; i + 1 < s.size(); i++) {
                StreamingSession.StepTrace t = s.get(i);
                boolean due = !t.isFinal() && t.chunkIndex() >= 2 && (t.chunkIndex() + 1) % 3 == 0;
                assertEquals(due, t.periodicReanchor(), t.toString());
                if (!t.periodicReanchor()) continue;
                StreamingSession.StepTrace next = s.get(i + 1);
                assertEquals(0, next.reusedRows(), "prefill reuse invalidated: " + next);
                assertTrue(next.windowRowsReusable() <= 104, "encoder cache restarted: " + next);
                if (next.isFinal() || next.reanchor() != DegeneracyDetector.Reason.NONE) continue;
                // The committed list is the 24 carried tokens, the prefix the carry minus the rollback:
                // the next step commits exactly its new tokens minus the rollback (none lost, none repeated).
                assertEquals(next.generated() - o.rollbackTokens(), next.emitted(), next.toString());
                checked++;
            }
            assertTrue(checked >= 2, "checked " + checked);
            assertEquals(DegeneracyDetector.Reason.NONE, s.get(s.size() - 1).reanchor());
        }
    }

    @Test
    void stagnationReanchorsAfterFourFullStepsThatDoNotAdvance() {
        // 6 new tokens per step with a rollback of 5: each step moves the candidate by one token, so
        // steps 3, 4, 5 and 6 are stagnant (step 2 moves it from 0 to 2) and step 6 re-anchors.
        StreamOptions o = StreamOptions.defaults().withMaxNewTokens(6);
        Run r = stream(twenty, RATE, 0.37, o, true);
        assertGrowOnly(r);
        List<StreamingSession.StepTrace> s = r.steps();
        for (int i = 0; i < 6; i++) assertEquals(6, s.get(i).generated(), "the test needs full steps: " + s.get(i));
        for (int i = 0; i < 6; i++) assertEquals(DegeneracyDetector.Reason.NONE, s.get(i).reanchor(), s.get(i).toString());
        assertEquals(DegeneracyDetector.Reason.STAGNATION, s.get(6).reanchor());
        assertEquals(0, s.get(6).emitted(), "a re-anchoring step emits nothing");
        assertEquals(0, s.get(7).reusedRows());
        assertEquals(2, s.get(2).emitted());
        assertEquals(1, s.get(3).emitted());
        // The final step always commits: no re-anchor there.
        assertEquals(DegeneracyDetector.Reason.NONE, s.get(s.size() - 1).reanchor());
    }
}
