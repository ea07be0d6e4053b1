package io.github.qwenasr;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.SharedAudio;
import io.github.qwenasr.equivalence.TestModels;
import io.github.qwenasr.stream.StreamOptions;
import io.github.qwenasr.stream.StreamingSession;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many transcriptions on one model at once decode in one batch and each gets exactly what it gets
 * alone: eight clips of different lengths, prompts, forced languages, token limits and segmented
 * past text, plus a streaming session, run together from nine threads against one by one.
 */
class BatchedTranscriptionTest {
    /** A model per test: its decode statistics count that test's work only. */
    private QwenAsr asr;

    @BeforeEach
    void load() throws Exception {
        asr = QwenAsr.load(TestModels.model(Preset.TINY, 1234, null), 2);
    }

    @AfterEach
    void close() {
        if (asr != null) asr.close();
    }

    private static float[] clip(String name, double seconds) throws Exception {
        float[] x = AudioLoader.load16k(Files.readAllBytes(SharedAudio.clip(name)));
        return seconds > 0 ? Arrays.copyOf(x, Math.min(x.length, (int) (seconds * 16_000))) : x;
    }

    /** What a job produced, compared as a whole between the two runs. */
    private record Outcome(String language, String text, List<Integer> tokens, List<FinishReason> finishes) {
        static Outcome of(Transcription t) {
            return new Outcome(t.language(), t.text(), t.tokens(),
                    t.segments().stream().map(Transcription.Segment::finishReason).toList());
        }
    }

    private List<Callable<Outcome>> jobs() throws Exception {
        List<Callable<Outcome>> jobs = new ArrayList<>();
        TranscribeOptions base = TranscribeOptions.defaults();
        record Job(float[] audio, TranscribeOptions options) {}
        List<Job> offline = List.of(
                new Job(clip("jfk.wav", 0), base.withMaxNewTokens(40)),
                new Job(clip("notld_5s_dont_worry_about_him.wav", 0), base.withMaxNewTokens(33).withContext("Night of the Living Dead, Barbra, Johnny")),
                new Job(clip("notld_10s_back_down_the_road.wav", 0), base.withMaxNewTokens(25).withLanguage("English")),
                new Job(clip("test_speech.wav", 0), base.withMaxNewTokens(48).withLanguage("German")),
                new Job(clip("notld_20s_no_authentic_way_for_us_to_say.wav", 0),
                        base.withMaxNewTokens(20).withSegmentSeconds(6).withPastText(PastText.YES)),
                new Job(TestNoise.threeSeconds(), base.withMaxNewTokens(17)),
                new Job(clip("jfk.wav", 4), base.withMaxNewTokens(29).withLanguage("Chinese").withContext("肯尼迪")),
                new Job(clip("notld_45s_right_through_the_billboard.wav", 30), base.withMaxNewTokens(36)));
        for (Job j : offline) jobs.add(() -> Outcome.of(asr.transcribe16k(j.audio(), j.options())));
        float[] live = clip("notld_10s_back_down_the_road.wav", 0);
        jobs.add(() -> {
            try (StreamingSession s = asr.openStream(StreamOptions.defaults().withMaxNewTokens(12))) {
                for (int i = 0; i < live.length; i += 8_000) s.push(Arrays.copyOfRange(live, i, Math.min(live.length, i + 8_000)), 16_000);
                s.finish();
                return new Outcome(s.language(), s.committedText(), List.of(s.chunks()), List.of());
            }
        });
        return jobs;
    }

    @Test
    void eightClipsAndAStreamTogetherGetWhatEachGetsAlone() throws Exception {
        List<Callable<Outcome>> jobs = jobs();
        List<Outcome> alone = new ArrayList<>();
        for (Callable<Outcome> job : jobs) alone.add(job.call());
        DecodeStats before = asr.decodeStats();
        assertEquals(1, before.largestBatch(), "one at a time never batches: " + before);

        CyclicBarrier start = new CyclicBarrier(jobs.size());
        ExecutorService threads = Executors.newFixedThreadPool(jobs.size());
        try {
            List<Future<Outcome>> together = new ArrayList<>();
            for (Callable<Outcome> job : jobs) {
                together.add(threads.submit(() -> {
                    start.await();
                    return job.call();
                }));
            }
            for (int i = 0; i < jobs.size(); i++) {
                assertEquals(alone.get(i), together.get(i).get(300, TimeUnit.SECONDS), "job " + i + " together vs alone");
            }
        } finally {
            threads.shutdownNow();
        }
        DecodeStats after = asr.decodeStats();
        System.out.println("batched run: " + after);
        assertTrue(after.largestBatch() >= 2, "the jobs never decoded together: " + after);
        assertTrue(alone.stream().map(Outcome::tokens).distinct().count() >= 8, "the jobs should differ");
        assertEquals(0, after.inFlight());
    }

    @Test
    void aFailingTranscriptionDoesNotDisturbTheOthers() throws Exception {
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(30);
        float[] audio = clip("jfk.wav", 6);
        Outcome expected = Outcome.of(asr.transcribe16k(audio, o));
        Function<Integer, TranscribeOptions> failing = n -> o.withTokenListener(id -> {
            throw new IllegalStateException("listener " + n + " gave up");
        });
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome>> good = new ArrayList<>();
            List<Future<Outcome>> bad = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                good.add(threads.submit(() -> Outcome.of(asr.transcribe16k(audio, o))));
                int n = i;
                bad.add(threads.submit(() -> Outcome.of(asr.transcribe16k(audio, failing.apply(n)))));
            }
            for (Future<Outcome> f : good) assertEquals(expected, f.get(120, TimeUnit.SECONDS));
            for (int i = 0; i < 2; i++) {
                int n = i;
                var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> bad.get(n).get(120, TimeUnit.SECONDS));
                assertEquals("listener " + n + " gave up", e.getCause().getMessage());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
