package io.github.qwenasr.mel;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.audio.AudioLoader;
import io.github.qwenasr.audio.SharedAudio;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LogMelTest {

    /**
     * Straight transcription of docs/model.md 2.2-2.4 in double precision: explicit reflect-padded
     * array, exact periodic Hann window, direct DFT, float64 filterbank. Returns [128][T].
     */
    private static double[][] specLogMel(float[] x) {
        int n = x.length;
        double[] padded = new double[n + 400];
        for (int i = 0; i < 200; i++) padded[i] = x[200 - i];              // x[200], x[199], …, x[1]
        for (int i = 0; i < n; i++) padded[200 + i] = x[i];
        for (int i = 0; i < 200; i++) padded[200 + n + i] = x[n - 2 - i];  // x[N−2], x[N−3], …, x[N−201]
        int frames = n / 160;
        double[] cos = new double[400];
        double[] sin = new double[400];
        double[] window = new double[400];
        for (int i = 0; i < 400; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / 400);
            sin[i] = Math.sin(2 * Math.PI * i / 400);
            window[i] = 0.5 - 0.5 * cos[i];
        }
        double[][] w = MelFilterbank.weightsFloat64();
        double[][] out = new double[128][frames];
        double max = Double.NEGATIVE_INFINITY;
        double[] frame = new double[400];
        double[] power = new double[201];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < 400; i++) frame[i] = window[i] * padded[160 * t + i];
            for (int k = 0; k <= 200; k++) {
                double re = 0, im = 0;
                for (int i = 0; i < 400; i++) {
                    int a = (k * i) % 400;
                    re += frame[i] * cos[a];
                    im -= frame[i] * sin[a];
                }
                power[k] = re * re + im * im;
            }
            for (int j = 0; j < 128; j++) {
                double m = 0;
                for (int k = 0; k <= 200; k++) m += w[k][j] * power[k];
                out[j][t] = Math.log10(Math.max(m, 1e-10));
                max = Math.max(max, out[j][t]);
            }
        }
        for (double[] row : out) {
            for (int t = 0; t < frames; t++) row[t] = (Math.max(row[t], max - 8) + 4) / 4;
        }
        return out;
    }

    private static void assertMatchesSpec(float[] x, double tolerance) {
        LogMel.Features f = LogMel.compute(x);
        double[][] expected = specLogMel(x);
        assertEquals(x.length / 160, f.frames());
        assertEquals(128 * f.frames(), f.data().length);
        for (int j = 0; j < 128; j++) {
            for (int t = 0; t < f.frames(); t++) {
                assertEquals(expected[j][t], f.get(j, t), tolerance, "mel " + j + " frame " + t + " of N=" + x.length);
            }
        }
    }

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.1 * r.nextGaussian() + 0.3 * Math.sin(i * 0.07));
        return x;
    }

    @Test
    void frameCountIsFloorOfNOver160() {
        assertEquals(1100, LogMel.frameCount(176000));
        assertEquals(364, LogMel.frameCount(58268));
        assertEquals(11926, LogMel.frameCount(1908196));
        assertEquals(1, LogMel.compute(new float[201]).frames());
        assertEquals(1, LogMel.compute(noise(319, 1)).frames());
        assertEquals(2, LogMel.compute(noise(320, 1)).frames());
    }

    @Test
    void sharedClipsHaveTheDocumentedFrameCounts() {
        assertEquals(1100, LogMel.compute(AudioLoader.load16k(SharedAudio.clip("jfk.wav"))).frames());
        assertEquals(364, LogMel.compute(AudioLoader.load16k(SharedAudio.clip("test_speech.wav"))).frames());
    }

    @Test
    void realSpeechMatchesTheSpecComputation() {
        // every value of jfk.wav (1100 frames) against the direct double-precision transcription
        assertMatchesSpec(AudioLoader.load16k(SharedAudio.clip("jfk.wav")), 1e-5);
    }

    @Test
    void reflectPaddingAtBothEdges() {
        // N = 201 is the shortest input (left pad reaches x[200], right pad x[N−201] = x[0]);
        // the other sizes put the last frame's window at every offset against the right edge.
        for (int n : new int[] {201, 202, 359, 360, 361, 480, 599, 1000}) assertMatchesSpec(noise(n, n), 1e-5);
    }

    @Test
    void reflectIndexMirrorsWithoutRepeatingTheEdge() {
        assertEquals(1, LogMel.reflect(-1, 500));
        assertEquals(200, LogMel.reflect(-200, 500));
        assertEquals(0, LogMel.reflect(0, 500));
        assertEquals(499, LogMel.reflect(499, 500));
        assertEquals(498, LogMel.reflect(500, 500));
        assertEquals(299, LogMel.reflect(699, 500));
        assertEquals(0, LogMel.reflect(400, 201));
    }

    @Test
    void tooShortInputIsRejected() {
        QwenAsrException e = assertThrows(QwenAsrException.class, () -> LogMel.compute(new float[200]));
        assertTrue(e.getMessage().contains("at least 201 samples"), e.getMessage());
    }

    @Test
    void silenceIsTheLogFloor() {
        LogMel.Features f = LogMel.compute(new float[16000]);
        assertEquals(100, f.frames());
        // log10(1e-10) = -10 everywhere, so the clamp does nothing: (−10 + 4)/4
        for (float v : f.data()) assertEquals(-1.5f, v, 1e-6f);
    }

    @Test
    void oneKilohertzTonePeaksInTheFilterAroundOneKilohertz() {
        float[] x = new float[16000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 16000));
        // 1000 Hz is bin 25 exactly; the Hann window spreads a quarter of the power to bins 24 and 26
        double[][] w = MelFilterbank.weightsFloat64();
        int expected = 0;
        double best = -1;
        for (int j = 0; j < 128; j++) {
            double e = w[25][j] + 0.25 * (w[24][j] + w[26][j]);
            if (e > best) {
                best = e;
                expected = j;
            }
        }
        LogMel.Features f = LogMel.compute(x);
        for (int t = 2; t < f.frames() - 2; t++) {
            int argmax = 0;
            for (int j = 1; j < 128; j++) if (f.get(j, t) > f.get(argmax, t)) argmax = j;
            assertEquals(expected, argmax, "frame " + t);
        }
        // the filter containing 1 kHz is filter 41 or 42 (edges F[42] ≈ 982 Hz, F[43] ≈ 1005 Hz)
        assertTrue(expected == 41 || expected == 42, "filter " + expected);
    }

    @Test
    void globalClampIsTwoBelowTheMaximum() {
        // a loud tone followed by digital silence: the silence is clamped to max − 8 in log10 units
        float[] x = new float[32000];
        for (int i = 0; i < 16000; i++) x[i] = (float) (0.9 * Math.sin(2 * Math.PI * 440 * i / 16000));
        float[] data = LogMel.compute(x).data();
        float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
        for (float v : data) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(max - 2.0, min, 1e-6);
        int atFloor = 0;
        for (float v : data) if (Math.abs(v - min) < 1e-6) atFloor++;
        assertTrue(atFloor > data.length / 2, "most of the spectrogram sits on the clamp");
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        float[] x = noise(16000 * 20, 9);
        float[] one = LogMel.compute(x, 1).data();
        assertArrayEquals(one, LogMel.compute(x, 2).data());
        assertArrayEquals(one, LogMel.compute(x, 3).data());
        assertArrayEquals(one, LogMel.compute(x, 16).data());
    }

    @Test
    void layoutIsMelMajor() {
        float[] x = noise(1600, 4);
        LogMel.Features f = LogMel.compute(x);
        assertEquals(10, f.frames());
        assertEquals(f.data()[5 * 10 + 3], f.get(5, 3));
        double[][] expected = specLogMel(x);
        assertEquals(expected[127][9], f.data()[127 * 10 + 9], 1e-5);
    }
}
