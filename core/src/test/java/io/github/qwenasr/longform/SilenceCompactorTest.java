package io.github.qwenasr.longform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.audio.AudioSource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** --skip-silence (docs/modes.md 5) and its compacted-to-original time map. */
class SilenceCompactorTest {
    private static final int RATE = 16000;

    private static float[] tone(double seconds) {
        float[] x = new float[(int) Math.round(seconds * RATE)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE));
        return x;
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int pos = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    @Test
    void aThreeSecondPauseShrinksToAboutSixHundredMilliseconds() {
        float[] x = concat(tone(2), new float[3 * RATE], tone(2));
        SilenceCompactor.Compacted r = SilenceCompactor.compact(AudioSource.of(x));
        double keptPause = r.audio().length() / (double) RATE - 4;
        // 600 ms of pause kept, plus the smoothing tail of the tone and the 30 ms dilation on each side.
        assertTrue(keptPause >= 0.6 && keptPause <= 1.0, "kept pause " + keptPause + " s");
        assertEquals(x.length, r.originalSamples());
        assertEquals(100.0 * r.audio().length() / x.length, r.usedPercent(), 1e-9);
        assertEquals(100 - r.usedPercent(), r.skippedPercent(), 1e-9);
        // The tones survive untouched at both ends.
        assertArrayEquals(Arrays.copyOf(x, 2 * RATE), Arrays.copyOf(r.audio().readAll(), 2 * RATE));
        int n = r.audio().length();
        assertArrayEquals(Arrays.copyOfRange(x, x.length - 2 * RATE, x.length),
                Arrays.copyOfRange(r.audio().readAll(), n - 2 * RATE, n));
    }

    @Test
    void timeMapLeadsBackToTheOriginalPositions() {
        float[] x = concat(tone(2), new float[3 * RATE], tone(2));
        SilenceCompactor.Compacted r = SilenceCompactor.compact(AudioSource.of(x));
        TimeMap map = r.map();
        double compactedSeconds = r.audio().length() / (double) RATE;
        assertEquals(r.audio().length(), map.compactedLength());
        assertEquals(2, map.pieces());
        assertEquals(0.0, map.toOriginalSeconds(0), 1e-9);
        assertEquals(1.0, map.toOriginalSeconds(1.0), 1e-9);
        // 1 s before the compacted end is 1 s before the original end (inside the second tone).
        assertEquals(6.0, map.toOriginalSeconds(compactedSeconds - 1.0), 1e-9);
        assertEquals(7.0, map.toOriginalSeconds(compactedSeconds), 1e-9);
        // Every kept sample is the original sample the map names.
        for (int c = 0; c < r.audio().length(); c += 997) {
            assertEquals(x[(int) map.toOriginalSample(c)], r.audio().readAll()[c], "compacted sample " + c);
        }
    }

    @Test
    void allSilenceKeepsTheFirstPause() {
        // One unvoiced run: its first 60 windows (0.6 s) are kept (step 7), so step 8's 0.5 s
        // fallback never applies to non-empty input.
        SilenceCompactor.Compacted r = SilenceCompactor.compact(AudioSource.of(new float[5 * RATE]));
        assertEquals(60 * 160, r.audio().length());
        assertEquals(0.25, r.map().toOriginalSeconds(0.25), 1e-9);
        assertEquals(12.0, r.usedPercent(), 1e-9);
        SilenceCompactor.Compacted tiny = SilenceCompactor.compact(AudioSource.of(new float[100]));
        assertEquals(100, tiny.audio().length());
    }

    @Test
    void shortPausesAreKeptWhole() {
        float[] x = concat(tone(1), new float[RATE / 2], tone(1));
        SilenceCompactor.Compacted r = SilenceCompactor.compact(AudioSource.of(x));
        assertArrayEquals(x, r.audio().readAll());
        assertEquals(0.0, r.skippedPercent(), 1e-9);
    }

    @Test
    void identityMap() {
        TimeMap m = TimeMap.identity(RATE * 3);
        assertEquals(2.5, m.toOriginalSeconds(2.5), 1e-12);
        assertEquals(3.0, m.toOriginalSeconds(9), 1e-12);
    }
}
