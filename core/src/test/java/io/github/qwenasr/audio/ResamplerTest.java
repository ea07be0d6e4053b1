package io.github.qwenasr.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ResamplerTest {

    /** Amplitude and phase fit of a sinusoid at {@code hz} over y[from, to), by least squares. */
    private static double[] fitSine(float[] y, double hz, int rate, int from, int to) {
        double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
        for (int i = from; i < to; i++) {
            double a = 2 * Math.PI * hz * i / rate;
            double c = Math.cos(a), s = Math.sin(a);
            cc += c * c;
            ss += s * s;
            cs += c * s;
            yc += y[i] * c;
            ys += y[i] * s;
        }
        double det = cc * ss - cs * cs;
        double a = (yc * ss - ys * cs) / det; // coefficient of cos
        double b = (ys * cc - yc * cs) / det; // coefficient of sin
        double residual = 0;
        for (int i = from; i < to; i++) {
            double t = 2 * Math.PI * hz * i / rate;
            double r = y[i] - a * Math.cos(t) - b * Math.sin(t);
            residual += r * r;
        }
        return new double[] {Math.hypot(a, b), Math.sqrt(residual / (to - from))};
    }

    private static float[] sine(int n, double hz, int rate, double amplitude) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    private static double rms(float[] y, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) y[i] * y[i];
        return Math.sqrt(s / (to - from));
    }

    @Test
    void oneKilohertzAt44100StaysOneKilohertz() {
        float[] y = Resampler.resample(sine(44100, 1000, 44100, 0.5), 44100, 16000);
        assertEquals(16000, y.length);
        double[] fit = fitSine(y, 1000, 16000, 1000, 15000);
        assertEquals(0.5, fit[0], 1e-3 * 0.5, "amplitude");
        assertTrue(fit[1] < 1e-4, "energy away from 1 kHz: rms " + fit[1]);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 192000, 44101, 12345, 16001})
    void toneIsKeptAtEveryRate(int rate) {
        float[] y = Resampler.to16k(sine(rate, 1000, rate, 0.8), rate);
        assertEquals(16000, y.length);
        double[] fit = fitSine(y, 1000, 16000, 1000, 15000);
        assertEquals(0.8, fit[0], 1e-3 * 0.8, "amplitude");
        assertTrue(fit[1] < 1e-4 * 0.8, "residual rms " + fit[1]);
    }

    @Test
    void tenKilohertzAt48000IsRemoved() {
        float[] y = Resampler.resample(sine(48000, 10_000, 48000, 1.0), 48000, 16000);
        double level = rms(y, 500, 15500) / Math.sqrt(0.5); // relative to the input sine's rms
        assertTrue(20 * Math.log10(level) < -60, "alias at 6 kHz: " + 20 * Math.log10(level) + " dB");
    }

    @Test
    void aliasesAboveTheNewNyquistAreRemovedAt44100() {
        for (double hz : new double[] {8600, 9000, 12000, 20000}) {
            float[] y = Resampler.resample(sine(44100, hz, 44100, 1.0), 44100, 16000);
            double level = rms(y, 500, 15500) / Math.sqrt(0.5);
            assertTrue(20 * Math.log10(level) < -60, hz + " Hz leaks at " + 20 * Math.log10(level) + " dB");
        }
    }

    @Test
    void upsamplingLeavesNoImage() {
        float[] y = Resampler.resample(sine(8000, 1000, 8000, 1.0), 8000, 16000);
        assertEquals(16000, y.length);
        double[] fit = fitSine(y, 1000, 16000, 1000, 15000);
        assertEquals(1.0, fit[0], 1e-3);
        // the image of 1 kHz would sit at 7 kHz
        double[] image = fitSine(y, 7000, 16000, 1000, 15000);
        assertTrue(image[0] < 1e-3, "image amplitude " + image[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 44100, 48000, 44101})
    void dcGainIsOne(int rate) {
        float[] x = new float[rate];
        java.util.Arrays.fill(x, 0.7f);
        float[] y = Resampler.to16k(x, rate);
        // away from the ends, where the filter reaches into the zeros outside the signal
        for (int i = 300; i < y.length - 300; i++) assertEquals(0.7f, y[i], 2e-6f, "sample " + i);
    }

    @Test
    void outputLengthIsFloorOfScaledInput() {
        assertEquals(16000, Resampler.resample(new float[44101], 44100, 16000).length);
        assertEquals(16, Resampler.resample(new float[45], 44100, 16000).length); // 16.33
        assertEquals(0, Resampler.resample(new float[2], 44100, 16000).length);  // 0.73
        assertEquals(1, Resampler.resample(new float[5], 48000, 16000).length);  // 1.67
        assertEquals(10, Resampler.resample(new float[5], 8000, 16000).length);
    }

    @Test
    void outputLengthMatchesFormulaForManySizes() {
        int[] rates = {8000, 11025, 22050, 44100, 48000, 12345};
        for (int rate : rates) {
            for (int n = 0; n < 500; n += 7) {
                long expected = (long) n * 16000 / rate;
                assertEquals(expected, Resampler.to16k(new float[n], rate).length, rate + " Hz, n=" + n);
            }
        }
    }

    @Test
    void equalRatesReturnACopy() {
        float[] x = {0.1f, 0.2f, 0.3f};
        float[] y = Resampler.resample(x, 16000, 16000);
        assertArrayEquals(x, y);
        assertNotSame(x, y);
    }

    @Test
    void otherTargetRatesWork() {
        float[] y = Resampler.resample(sine(16000, 500, 16000, 0.5), 16000, 8000);
        assertEquals(8000, y.length);
        assertEquals(0.5, fitSine(y, 500, 8000, 500, 7500)[0], 5e-4);
    }

    @Test
    void badRatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 0, 16000));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 44100, -1));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 16000 * 48 + 1, 16000));
        assertThrows(IllegalArgumentException.class, () -> new StreamingResampler(0, 16000));
        assertEquals(1, Resampler.resample(new float[48], 16000 * 48, 16000).length);
    }

    @Test
    void longInputSplitAcrossThreadsMatchesStreaming() {
        Random r = new Random(7);
        float[] x = new float[44100 * 30];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 0.1f;
        float[] oneShot = Resampler.resample(x, 44100, 16000);
        StreamingResampler s = new StreamingResampler(44100, 16000);
        float[] streamed = StreamingResamplerTest.concat(s.push(x), s.finish());
        assertArrayEquals(oneShot, streamed);
    }
}
