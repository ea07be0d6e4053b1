package io.github.qwenasr.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.QwenAsrException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's energy detector and its utterance rules (docs/modes.md 7.4), without its defects (12.1.8). */
class EnergyVadTest {
    private static final int FRAME = EnergyVad.FRAME_SAMPLES;

    @Test
    void aFrameIsSpeechWhenItsRmsReachesMinus60Dbfs() {
        EnergyVad vad = new EnergyVad();
        assertEquals(480, vad.frameSamples());
        assertEquals(1f, vad.speechProbability(constant(0.001f)));
        assertEquals(0f, vad.speechProbability(constant(0.00099f)));
        float[] square = new float[FRAME];
        for (int i = 0; i < FRAME; i++) square[i] = i % 2 == 0 ? 0.0011f : -0.0011f;
        assertEquals(1f, vad.speechProbability(square));
        float[] onePeak = new float[FRAME];
        onePeak[7] = 0.02f; // RMS 0.02 / sqrt(480) = 0.00091
        assertEquals(0f, vad.speechProbability(onePeak));
        assertEquals(1f, new EnergyVad(0.0005, EnergySegmenter.Options.DEFAULTS).speechProbability(onePeak));
    }

    @Test
    void utteranceKeeps250MsBeforeAnd200MsAfterAndEndsAfterA15sHangover() {
        // Loud frames 100..149 (1.5 s), quiet afterwards.
        List<Release> out = run(frames(300, 100, 150), 300 * FRAME);
        // Start 250 ms (4000 samples) before frame 100, end 200 ms (3200) after frame 149;
        // out at the 50th quiet frame (frame 199): 1.5 s of audio after the last loud one.
        assertEquals(List.of(new Release(199, new SpeechRegion(100 * FRAME - 4000, 150 * FRAME + 3200))), out);
    }

    @Test
    void quietGapsShorterThanTheHangoverDoNotSplit() {
        boolean[] loud = frames(400, 10, 60);
        for (int k = 109; k < 140; k++) loud[k] = true; // 49 quiet frames (1.47 s) after frame 59
        List<Release> out = run(loud, 400 * FRAME);
        assertEquals(List.of(new Release(189, new SpeechRegion(10 * FRAME - 4000, 140 * FRAME + 3200))), out);
    }

    @Test
    void utterancesShorterThanHalfASecondAreDropped() {
        // One loud frame: 250 + 30 + 200 ms = 480 ms < 500 ms: dropped. Two: 510 ms: kept.
        assertEquals(List.of(), run(frames(200, 20, 21), 200 * FRAME));
        assertEquals(List.of(new Release(71, new SpeechRegion(20 * FRAME - 4000, 22 * FRAME + 3200))),
                run(frames(200, 20, 22), 200 * FRAME));
    }

    @Test
    void anUtteranceReaching30sIsClosedAndTheNextStartsWhereItEnded() {
        // 54 s of loud frames from frame 0 (1800 frames of 30 ms), then quiet to the end.
        int total = 1900;
        List<Release> out = run(frames(total, 0, 1800), (long) total * FRAME);
        assertEquals(List.of(
                new Release(999, new SpeechRegion(0, 30 * 16_000)),
                // The look-back stops at the previous utterance; then 24 s of speech and 200 ms.
                new Release(1849, new SpeechRegion(30 * 16_000, 1800 * FRAME + 3200))), out);
    }

    @Test
    void speechOpenAtTheEndIsClosedByFinish() {
        List<Release> out = run(frames(100, 50, 100), 100 * FRAME - 10);
        assertEquals(List.of(new Release(-1, new SpeechRegion(50 * FRAME - 4000, 100 * FRAME - 10))), out);
        out = run(frames(100, 50, 90), 100 * FRAME);
        assertEquals(List.of(new Release(-1, new SpeechRegion(50 * FRAME - 4000, 90 * FRAME + 3200))), out);
    }

    @Test
    void silenceAndNoiseOnRealSamples() {
        EnergyVad vad = new EnergyVad();
        float[] silence = new float[32_000];
        assertEquals(List.of(), regions(vad, silence));
        // Noise far above -60 dBFS is speech to an energy detector: one utterance over all of it.
        float[] noise = VadGolden.lcgNoise(5 * 16_000, 1234, 0.25f);
        assertEquals(List.of(new SpeechRegion(0, noise.length)), regions(vad, noise));
        // A burst at -43 dBFS over frames 70..99 inside 5 s of silence.
        float[] burst = new float[5 * 16_000];
        for (int i = 70 * FRAME; i < 100 * FRAME; i++) burst[i] = (float) (0.01 * Math.sin(i * 0.3));
        assertEquals(List.of(new SpeechRegion(70 * FRAME - 4000, 100 * FRAME + 3200)), regions(vad, burst));
    }

    @Test
    void misuseIsAClearError() {
        EnergyVad vad = new EnergyVad();
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> vad.speechProbability(new float[512]));
        assertEquals("energy VAD takes frames of 480 samples (30 ms at 16 kHz), got 512", e.getMessage());
        float[] inf = new float[FRAME];
        inf[3] = Float.POSITIVE_INFINITY;
        assertThrows(QwenAsrException.class, () -> vad.speechProbability(inf));
        assertThrows(QwenAsrException.class, () -> vad.probabilities(new float[100], 44_100));
        assertThrows(QwenAsrException.class, () -> new EnergyVad(0, EnergySegmenter.Options.DEFAULTS));
        assertThrows(QwenAsrException.class, () -> new EnergySegmenter.Options(0, 500, 30_000, 250, 200));
        assertThrows(QwenAsrException.class, () -> new EnergySegmenter.Options(1500, 500, 400, 250, 200));
        EnergySegmenter s = new EnergySegmenter();
        s.accept(1f);
        assertThrows(QwenAsrException.class, () -> s.finish(2 * FRAME));
        assertThrows(QwenAsrException.class, () -> s.accept(-0.5f));
    }

    /** A region and the frame whose accept() returned it (-1: finish). */
    private record Release(int frame, SpeechRegion region) {
    }

    private static List<Release> run(boolean[] loud, long totalSamples) {
        EnergySegmenter s = new EnergyVad().newSegmenter();
        List<Release> out = new ArrayList<>();
        for (int k = 0; k < loud.length; k++) {
            for (SpeechRegion r : s.accept(loud[k] ? 1f : 0f)) out.add(new Release(k, r));
        }
        for (SpeechRegion r : s.finish(totalSamples)) out.add(new Release(-1, r));
        return out;
    }

    private static List<SpeechRegion> regions(EnergyVad vad, float[] audio) {
        EnergySegmenter s = vad.newSegmenter();
        List<SpeechRegion> out = new ArrayList<>();
        for (float p : vad.probabilities(audio, 16_000)) out.addAll(s.accept(p));
        out.addAll(s.finish(audio.length));
        return out;
    }

    private static boolean[] frames(int n, int loudFrom, int loudTo) {
        boolean[] loud = new boolean[n];
        Arrays.fill(loud, loudFrom, loudTo, true);
        return loud;
    }

    private static float[] constant(float v) {
        float[] f = new float[FRAME];
        Arrays.fill(f, v);
        return f;
    }
}
