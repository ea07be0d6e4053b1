package io.github.qwenasr.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class OpsTest {
    @Test
    void erfMatchesKnownValues() {
        // Reference values from the C library erf (Python math.erf), to 16 digits.
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(0.1124629160182849, Erf.erf(0.1), 1e-15);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
        assertEquals(-0.9661051464753108, Erf.erf(-1.5), 1e-15);
        assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
        assertEquals(0.9997639655834707, Erf.erf(2.6), 1e-15);
        assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-15);
        assertEquals(-0.9999999845827421, Erf.erf(-4.0), 1e-15);
        assertEquals(1.0, Erf.erf(7.0));
    }

    @Test
    void geluIsTheExactErfForm() {
        assertEquals(0f, Ops.gelu(0f));
        assertEquals(0.8413447460685429, Ops.gelu(1f), 1e-7);
        assertEquals(-0.15865525393145707, Ops.gelu(-1f), 1e-7);
        assertEquals(2.99595030590511, Ops.gelu(3f), 1e-6);
        // Where the tanh approximation differs from the erf form by more than float rounding.
        assertEquals(-0.04550026389635842, Ops.gelu(-2f), 1e-8);
    }

    @Test
    void tabulatedGeluEqualsTheDirectFormula() {
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 2_000_000; i++) {
            float x = (float) (r.nextGaussian() * (i % 3 == 0 ? 6 : 1.5));
            float a = Ops.gelu(x);
            float b = Ops.geluDirect(x);
            if (a != b) {
                // Within 1 ulp, or 1e-12 absolute in the far-left tail where GELU is ~0.
                assertEquals(b, a, Math.max(Math.ulp(b), 1e-12f), "gelu(" + x + ") differs by more than 1 ulp");
            }
        }
        assertEquals(20f, Ops.gelu(20f));
        assertEquals(0f, Ops.gelu(-20f), 0f);
        assertTrue(Float.isNaN(Ops.gelu(Float.NaN)));
    }

    @Test
    void normsAndSoftmax() {
        float[] x = {1, 2, 3, 4};
        float[] out = new float[4];
        Ops.layerNorm(x, 1, 4, new float[] {1, 1, 1, 1}, new float[] {0, 0, 0, 1}, 1e-5f, out);
        double sd = Math.sqrt(1.25 + 1e-5);
        assertEquals(-1.5 / sd, out[0], 1e-6);
        assertEquals(1.5 / sd + 1, out[3], 1e-6);
        float[] r = {3, 4};
        Ops.rmsNorm(r, 0, 1, 2, new float[] {1, 2}, 0f);
        double rms = Math.sqrt(12.5);
        assertEquals(3 / rms, r[0], 1e-6);
        assertEquals(8 / rms, r[1], 1e-6);
        float[] s = {1000f, 1000f, Float.NEGATIVE_INFINITY};
        Ops.softmax(s, 0, 3);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f}, s);
        assertEquals(1, Ops.argmax(new float[] {1, 5, 5, 2}, 4), "first index wins ties");
        assertEquals(0.7310585786300049, Ops.silu(1f), 1e-7);
    }

    @Test
    void vectorExpIsWithinTwoUlpOfTheDoubleExp() {
        float[] xs = new float[8 * 20001];
        for (int i = 0; i < xs.length; i++) xs[i] = -87f * i / (xs.length - 1);
        double worst = 0;
        for (int i = 0; i < xs.length; i += 8) {
            float[] out = new float[8];
            Ops.expNonPositive(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_256, xs, i))
                    .intoArray(out, 0);
            for (int j = 0; j < 8; j++) {
                double exact = Math.exp(xs[i + j]);
                worst = Math.max(worst, Math.abs(out[j] - exact) / Math.ulp((float) exact));
            }
        }
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
        // The clamp: far below the float range the result is the clamp's tiny value, not garbage.
        float[] tiny = new float[8];
        java.util.Arrays.fill(tiny, -1000f);
        float[] out = new float[8];
        Ops.expNonPositive(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_256, tiny, 0))
                .intoArray(out, 0);
        for (float v : out) assertTrue(v >= 0 && v < 1e-37f, "exp(-1000) gave " + v);
    }

    @Test
    void longRowsTakeTheVectorSoftmaxAndMatchTheDoubleReference() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int n : new int[] {Ops.VECTOR_SOFTMAX_MIN, 257, 903, 4099}) {
            float[] x = new float[n + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 60 - 45);
            x[1 + n / 2] = 30f; // one dominant entry, others spread over 20 orders of magnitude
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 1; i <= n; i++) max = Math.max(max, x[i]);
            double sum = 0;
            for (int i = 1; i <= n; i++) sum += Math.exp(x[i] - max);
            float[] y = x.clone();
            Ops.softmax(y, 1, n);
            assertEquals(x[0], y[0]);
            assertEquals(x[n + 1], y[n + 1]);
            double total = 0;
            for (int i = 1; i <= n; i++) {
                double expect = Math.exp(x[i] - max) / sum;
                // x - max is rounded to float first (as torch's float32 softmax does): half an ulp of
                // it moves e^(x - max) by up to |x - max| * 2^-24 relative, plus the exp's 2 ulp.
                double bound = expect * (3e-7 + Math.abs(x[i] - max) * 0x1p-24) + 1e-38;
                assertEquals(expect, y[i], bound, "n " + n + " element " + i);
                total += y[i];
            }
            assertEquals(1.0, total, 1e-5);
        }
    }
}
