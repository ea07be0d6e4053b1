package io.github.qwenasr.mel;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class RealFft400Test {

    /** Direct DFT per docs/model.md 2.2, in double, for comparison. */
    private static double[] directPower(double[] x) {
        double[] p = new double[RealFft400.BINS];
        for (int k = 0; k < p.length; k++) {
            double re = 0, im = 0;
            for (int n = 0; n < RealFft400.N; n++) {
                double a = 2 * Math.PI * ((k * n) % RealFft400.N) / RealFft400.N;
                re += x[n] * Math.cos(a);
                im -= x[n] * Math.sin(a);
            }
            p[k] = re * re + im * im;
        }
        return p;
    }

    @Test
    void matchesTheDirectDftOnRandomFrames() {
        Random r = new Random(3);
        RealFft400 fft = new RealFft400();
        float[] got = new float[RealFft400.BINS];
        for (int trial = 0; trial < 20; trial++) {
            double[] x = new double[RealFft400.N];
            for (int n = 0; n < x.length; n++) x[n] = r.nextGaussian() * Math.pow(10, trial % 5 - 2);
            double[] expected = directPower(x);
            double scale = 0;
            for (double v : expected) scale = Math.max(scale, v);
            fft.power(x, got);
            for (int k = 0; k < got.length; k++) {
                // float rounding of magnitude then square: about 2^-23 relative, plus double noise
                assertEquals(expected[k], got[k], expected[k] * 3e-7 + scale * 1e-13, "trial " + trial + " bin " + k);
            }
        }
    }

    @Test
    void impulseHasAFlatSpectrum() {
        double[] x = new double[RealFft400.N];
        x[0] = 2;
        float[] p = new float[RealFft400.BINS];
        new RealFft400().power(x, p);
        for (float v : p) assertEquals(4f, v, 1e-6f);
    }

    @Test
    void cosineAtABinCentreLandsInThatBin() {
        for (int bin : new int[] {0, 1, 7, 25, 100, 199, 200}) {
            double[] x = new double[RealFft400.N];
            for (int n = 0; n < x.length; n++) x[n] = Math.cos(2 * Math.PI * bin * n / RealFft400.N);
            float[] p = new float[RealFft400.BINS];
            new RealFft400().power(x, p);
            double expected = bin == 0 || bin == 200 ? 400.0 * 400 : 200.0 * 200;
            for (int k = 0; k < p.length; k++) {
                assertEquals(k == bin ? expected : 0, p[k], expected * 1e-6, "bin " + bin + ", k " + k);
            }
        }
    }
}
