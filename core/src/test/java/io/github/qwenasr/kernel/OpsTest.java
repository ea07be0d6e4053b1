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
}
