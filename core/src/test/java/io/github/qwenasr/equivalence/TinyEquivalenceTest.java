package io.github.qwenasr.equivalence;

import static org.junit.jupiter.api.Assertions.*;

import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.TestArrays;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.EncoderAttention;
import io.github.qwenasr.tools.Preset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny synthetic model against the official package: every clip (under 8 s, over 8 s, over
 * 30 s, digital silence, 22.05 kHz input), FULL attention everywhere and WINDOWED on long clips.
 */
class TinyEquivalenceTest {
    static GoldenManifest golden;
    static QwenAsr asr;
    static Path shared;

    @BeforeAll
    static void load() throws Exception {
        golden = GoldenManifest.load("tiny");
        shared = TestModels.shared();
        Path dir = TestModels.model(Preset.TINY, golden.seed(), golden.sha256("model.safetensors"));
        asr = QwenAsr.load(dir, 2);
    }

    @AfterAll
    static void close() {
        if (asr != null) asr.close();
    }

    @Test
    void everyClipMatchesTheOfficialPackage() throws Exception {
        List<EquivalenceCheck.Report> reports = new ArrayList<>();
        for (Map<String, Object> clip : golden.clips()) reports.addAll(EquivalenceCheck.run(asr, golden, clip, shared));
        reports.forEach(r -> System.out.println("[tiny] " + r));
        Set<String> modes = new HashSet<>();
        reports.forEach(r -> modes.add(r.attention()));
        assertEquals(Set.of("FULL", "WINDOWED"), modes, "both encoder attention modes covered");
    }

    @Test
    void concurrentTranscriptionsShareOneModel() throws Exception {
        // One loaded model, four threads, two different clips: each result equals the sequential one.
        Path a = shared.resolve("data/audio/test_speech.wav");
        Path b = shared.resolve("data/audio/jfk.wav");
        TranscribeOptions o = TranscribeOptions.defaults().withMaxNewTokens(24);
        Transcription ra = asr.transcribe(a, o);
        Transcription rb = asr.transcribe(b, o);
        assertNotEquals(ra.text(), rb.text());
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Transcription>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path p = i % 2 == 0 ? a : b;
                fs.add(ex.submit(() -> asr.transcribe(p, o)));
            }
            for (int i = 0; i < 4; i++) {
                Transcription t = fs.get(i).get();
                assertEquals((i % 2 == 0 ? ra : rb).tokens(), t.tokens(), "thread " + i);
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void fixtureIsNotDegenerate() {
        // docs/model.md 1.8: the greedy output must depend on the audio at every step, or equality proves nothing.
        List<int[]> seqs = new ArrayList<>();
        for (Map<String, Object> clip : golden.clips()) {
            if (((Number) GoldenManifest.obj(clip, "input").get("source_sample_rate")).intValue() != 16000) continue;
            for (Object run : (List<?>) clip.get("runs")) {
                @SuppressWarnings("unchecked")
                int[] ids = GoldenManifest.ints(((Map<String, Object>) run).get("generated_ids"));
                assertTrue(ids.length >= 64, "at least 64 greedy steps");
                seqs.add(ids);
            }
        }
        for (int i = 0; i < seqs.size(); i++) {
            for (int j = i + 1; j < seqs.size(); j++) {
                int same = 0;
                for (int s = 0; s < Math.min(seqs.get(i).length, seqs.get(j).length); s++) if (seqs.get(i)[s] == seqs.get(j)[s]) same++;
                assertTrue(same < 8, "two different inputs share " + same + " tokens at the same steps");
            }
        }
    }

    @Test
    void publicApiGivesTheSameTranscription() throws Exception {
        Map<String, Object> jfk = golden.clips().stream().filter(c -> c.get("name").equals("jfk")).findFirst().orElseThrow();
        for (Object o : (List<?>) jfk.get("runs")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> run = (Map<String, Object>) o;
            EncoderAttention mode = EncoderAttention.valueOf((String) run.get("attention"));
            Path wav = GoldenManifest.input(jfk, shared);
            Transcription t = asr.transcribe(wav, TranscribeOptions.defaults().withMaxNewTokens(golden.maxNewTokens()).withEncoderAttention(mode));
            assertArrayEquals(GoldenManifest.ints(run.get("generated_ids")), TestArrays.ints(t.tokens()));
            assertEquals(run.get("text"), t.text());
            assertEquals(run.get("language"), t.language());
            // Same result from float PCM handed over by a caller.
            Transcription p = asr.transcribe(AudioLoader.load16k(wav), 16000,
                    TranscribeOptions.defaults().withMaxNewTokens(golden.maxNewTokens()).withEncoderAttention(mode));
            assertEquals(t.text(), p.text());
        }
    }
}
