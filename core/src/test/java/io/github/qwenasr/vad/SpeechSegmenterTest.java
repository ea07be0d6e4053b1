package io.github.qwenasr.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Speech regions against the silero-vad package's get_speech_timestamps (golden/vad). */
class SpeechSegmenterTest {
    private static final int FRAME = SileroVad.FRAME_SAMPLES;
    private static VadGolden golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        golden = VadGolden.load();
    }

    /** From the reference's own probabilities the regions are exactly the package's. */
    @Test
    void regionsFromTheReferenceProbabilitiesAreThePackages() {
        int compared = 0;
        for (VadGolden.Clip clip : golden.clips) {
            for (Map.Entry<String, SpeechSegmenter.Options> set : golden.optionSets.entrySet()) {
                List<SpeechRegion> expected = clip.regions().get(set.getKey());
                assertEquals(expected, SpeechSegmenter.regions(clip.probabilities(), clip.audio().length, set.getValue()),
                        clip.name() + " / " + set.getKey());
                compared += expected.size();
            }
        }
        assertTrue(compared > 300, "golden regions compared: " + compared);
    }

    /** From our probabilities: the same regions, each boundary within one frame. */
    @Test
    void regionsFromOurProbabilitiesMatchWithinOneFrame() {
        SileroVad vad = SileroVad.load();
        for (VadGolden.Clip clip : golden.clips) {
            float[] p = vad.probabilities(clip.audio(), 16_000);
            for (Map.Entry<String, SpeechSegmenter.Options> set : golden.optionSets.entrySet()) {
                List<SpeechRegion> expected = clip.regions().get(set.getKey());
                List<SpeechRegion> ours = SpeechSegmenter.regions(p, clip.audio().length, set.getValue());
                String where = clip.name() + " / " + set.getKey();
                assertEquals(expected.size(), ours.size(), where + ": " + ours + " vs " + expected);
                for (int i = 0; i < ours.size(); i++) {
                    assertTrue(Math.abs(ours.get(i).startSample() - expected.get(i).startSample()) <= FRAME
                            && Math.abs(ours.get(i).endSample() - expected.get(i).endSample()) <= FRAME,
                            where + " region " + i + ": " + ours.get(i) + " vs " + expected.get(i));
                }
            }
        }
    }

    /**
     * Fed frame by frame, the segmenter releases the same regions, and with the defaults each one
     * (but the last, which ends with the audio) with the frame that ends 160 ms after its speech:
     * 100 ms of silence rounded up to whole 32 ms frames, plus the frame being fed.
     */
    @Test
    void incrementalRegionsComeOutAsSoonAsTheyEnd() {
        for (VadGolden.Clip clip : golden.clips) {
            for (Map.Entry<String, SpeechSegmenter.Options> set : golden.optionSets.entrySet()) {
                SpeechSegmenter s = new SpeechSegmenter(set.getValue());
                List<SpeechRegion> got = new ArrayList<>();
                float[] p = clip.probabilities();
                for (int k = 0; k < p.length; k++) {
                    for (SpeechRegion r : s.accept(p[k])) {
                        got.add(r);
                        if (set.getKey().equals("defaults")) {
                            long speechEnd = r.endSample() - 480; // default pad: 30 ms
                            long heard = (k + 1L) * FRAME; // audio fed so far
                            assertTrue(heard - speechEnd <= 2560,
                                    clip.name() + ": region " + r + " released late, after " + heard + " samples");
                        }
                    }
                }
                got.addAll(s.finish(clip.audio().length));
                assertEquals(clip.regions().get(set.getKey()), got, clip.name() + " / " + set.getKey());
            }
        }
    }

    /** A hand-made case: 10 frames of silence, 20 of speech, 10 of silence. */
    @Test
    void paddedRegionOfAPlainSpeechBurst() {
        float[] p = new float[40];
        Arrays.fill(p, 10, 30, 0.9f);
        // Speech [10 * 512, 30 * 512) padded by 30 ms (480 samples) on both sides.
        assertEquals(List.of(new SpeechRegion(5120 - 480, 15360 + 480)),
                SpeechSegmenter.regions(p, 40 * FRAME, SpeechSegmenter.Options.DEFAULTS));
        // A burst of 7 frames (224 ms) is not longer than the 250 ms minimum: dropped.
        float[] shortBurst = new float[40];
        Arrays.fill(shortBurst, 10, 17, 0.9f);
        assertEquals(List.of(), SpeechSegmenter.regions(shortBurst, 40 * FRAME, SpeechSegmenter.Options.DEFAULTS));
        // Hysteresis: 0.4 is below the threshold but above the negative one, so speech goes on.
        float[] hysteresis = p.clone();
        Arrays.fill(hysteresis, 30, 35, 0.4f);
        assertEquals(List.of(new SpeechRegion(5120 - 480, 35 * FRAME + 480)),
                SpeechSegmenter.regions(hysteresis, 40 * FRAME, SpeechSegmenter.Options.DEFAULTS));
        // Speech to the end of the audio ends with it (the pad is clipped).
        float[] open = new float[40];
        Arrays.fill(open, 10, 40, 0.9f);
        assertEquals(List.of(new SpeechRegion(5120 - 480, 40 * FRAME - 100)),
                SpeechSegmenter.regions(open, 40 * FRAME - 100, SpeechSegmenter.Options.DEFAULTS));
    }

    @Test
    void defaultsAreThePackages() {
        SpeechSegmenter.Options d = SpeechSegmenter.Options.DEFAULTS;
        assertEquals(0.5, d.threshold());
        assertEquals(0.5 - 0.15, d.negThreshold());
        assertEquals(250, d.minSpeechMs());
        assertEquals(Double.POSITIVE_INFINITY, d.maxSpeechSeconds());
        assertEquals(100, d.minSilenceMs());
        assertEquals(30, d.speechPadMs());
        assertEquals(0.01, d.withThreshold(0.1).negThreshold());
        assertEquals(d, SileroVad.load().newSegmenter().options());
    }

    @Test
    void misuseIsAClearError() {
        assertThrows(QwenAsrException.class, () -> SpeechSegmenter.Options.DEFAULTS.withThreshold(1.5));
        assertThrows(QwenAsrException.class, () -> new SpeechSegmenter.Options(0.5, Double.NaN, -1, 1, 100, 30, 98, true));
        assertThrows(QwenAsrException.class, () -> new SpeechSegmenter.Options(0.5, Double.NaN, 250, 0, 100, 30, 98, true));
        SpeechSegmenter s = new SpeechSegmenter();
        assertThrows(QwenAsrException.class, () -> s.accept(Float.NaN));
        assertThrows(QwenAsrException.class, () -> s.accept(1.5f));
        s.accept(0.9f);
        s.accept(0.9f);
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> s.finish(3 * FRAME));
        assertEquals("audio length 1536 does not match 2 frames of 512 samples", e.getMessage());
        assertThrows(QwenAsrException.class, () -> s.finish(FRAME));
        assertTrue(s.inSpeech());
        assertEquals(List.of(), s.finish(2 * FRAME)); // 2 frames are shorter than 250 ms
        assertThrows(QwenAsrException.class, () -> s.accept(0.1f));
        s.reset();
        assertFalse(s.inSpeech());
        assertEquals(List.of(), s.accept(0.1f));
        assertEquals(List.of(), s.finish(100));
    }
}
