package io.github.qwenasr.vad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.audio.AudioSource;
import io.github.qwenasr.longform.TranscriptionPlan;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan of a transcription with voice activity detection (docs/modes.md 7.5): the speech regions
 * are the kept runs of a compaction, each region is one segment, and every part's span is its
 * region on the recording.
 */
class VoiceActivityPlanTest {
    private static VadGolden golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        golden = VadGolden.load();
    }

    private static TranscriptionPlan plan(float[] audio, TranscribeOptions o) {
        return TranscriptionPlan.of(AudioSource.of(audio), o, frames -> frames / 8);
    }

    @Test
    void everyUtteranceIsOneSegmentWithItsSpanOnTheRecording() {
        int checked = 0;
        for (String name : List.of("jfk", "notld_45s_right_through_the_billboard", "test_speech",
                "notld_119s_theres_supposed_to_be_another_broadcast")) {
            float[] audio = golden.clip(name).audio();
            List<SpeechRegion> regions = SpeechFinder.regions(AudioSource.of(audio), VoiceActivity.silero());
            TranscriptionPlan p = plan(audio, TranscribeOptions.defaults().withVoiceActivity(VoiceActivity.silero()));
            assertTrue(p.utterances() && p.segmented() && !p.silenceSkipped(), name);
            assertEquals(audio.length, p.originalSamples());
            assertEquals(regions.stream().mapToLong(SpeechRegion::samples).sum(), p.keptSamples(), name);
            assertEquals(regions.size(), p.parts().size(), name);
            int compacted = 0;
            for (int i = 0; i < regions.size(); i++) {
                SpeechRegion r = regions.get(i);
                TranscriptionPlan.Part part = p.parts().get(i);
                assertEquals(compacted, part.start(), "parts cover the kept audio in order");
                assertEquals(r.samples(), part.length());
                compacted = part.end();
                assertEquals(r.startSeconds(), part.startSeconds(), 1e-9, name + " part " + i);
                assertEquals(r.endSeconds(), part.endSeconds(), 1e-9, name + " part " + i);
                assertEquals(Math.max(part.length(), 8000), part.decodedSamples(), "padded to 0.5 s");
                float[] samples = p.samples(part);
                assertEquals(part.decodedSamples(), samples.length);
                assertArrayEquals(Arrays.copyOfRange(audio, (int) r.startSample(), (int) r.endSample()),
                        Arrays.copyOf(samples, part.length()), "the part reads its region of the recording");
                // Times inside a part map back onto the recording with slope 1.
                assertEquals(r.startSeconds() + 0.25, p.toOriginalSeconds(part, 0.25), 1e-9);
                checked++;
            }
        }
        assertTrue(checked >= 50, "parts checked: " + checked);
    }

    /**
     * Regions that touch (here an utterance closed at the 30 s limit and the next one, which starts
     * where it ended) are merged into one kept run of the time map, yet stay two parts with exact
     * spans: a position on a run boundary would map to the later run, so a part's end is mapped from
     * its last sample.
     */
    @Test
    void touchingRegionsKeepExactSpans() {
        float[] audio = new float[40 * 16_000];
        for (int i = 0; i < audio.length; i++) audio[i] = (float) Math.sin(0.05 * i) * 0.3f;
        TranscriptionPlan p = plan(audio, TranscribeOptions.defaults().withVoiceActivity(VoiceActivity.energy()));
        assertEquals(2, p.parts().size(), p.parts().toString());
        assertEquals(0.0, p.parts().get(0).startSeconds());
        assertEquals(30.0, p.parts().get(0).endSeconds(), 1e-9);
        assertEquals(30.0, p.parts().get(1).startSeconds(), 1e-9);
        assertEquals(40.0, p.parts().get(1).endSeconds(), 1e-9);
    }

    @Test
    void silenceAndNoiseGiveNoParts() {
        for (String name : List.of("silence_2s", "white_noise_5s")) {
            TranscriptionPlan p = plan(golden.clip(name).audio(),
                    TranscribeOptions.defaults().withVoiceActivity(VoiceActivity.silero()));
            assertEquals(List.of(), p.parts(), name);
            assertEquals(0, p.keptSamples());
        }
    }

    /** An utterance longer than the piece limit is split as a long recording is, inside its region. */
    @Test
    void anUtteranceLongerThanThePieceLimitIsSplit() {
        float[] audio = new float[25 * 16_000];
        for (int i = 0; i < audio.length; i++) audio[i] = (float) Math.sin(0.05 * i) * 0.3f;
        TranscribeOptions o = TranscribeOptions.defaults().withMaxPieceSeconds(10).withVoiceActivity(VoiceActivity.energy());
        TranscriptionPlan p = plan(audio, o);
        assertEquals(3, p.parts().size(), p.parts().toString());
        assertEquals(0.0, p.parts().get(0).startSeconds());
        assertEquals(25.0, p.parts().get(2).endSeconds(), 1e-9);
        for (TranscriptionPlan.Part part : p.parts()) assertFalse(part.length() > 15 * 16_000, part.toString());
    }

    @Test
    void combinationsWithoutMeaningAreRefused() {
        TranscribeOptions vad = TranscribeOptions.defaults().withVoiceActivity(VoiceActivity.silero());
        assertThrows(QwenAsrException.class, () -> vad.withSkipSilence(true));
        assertThrows(QwenAsrException.class, () -> vad.withSegmentSeconds(10));
        assertTrue(vad.conditionsSegments(), "utterances are conditioned on the text so far by default");
        assertFalse(vad.withPastText(io.github.qwenasr.PastText.NO).conditionsSegments());
        assertFalse(TranscribeOptions.defaults().withSegmentSeconds(10).conditionsSegments(), "segmented mode: auto = no");
    }
}
