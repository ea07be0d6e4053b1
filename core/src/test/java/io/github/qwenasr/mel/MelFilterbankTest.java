package io.github.qwenasr.mel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Reference numbers from docs/model.md 2.3. */
class MelFilterbankTest {
    private static final double[][] W = MelFilterbank.weightsFloat64();

    @Test
    void edgeFrequencies() {
        double[] f = MelFilterbank.edgesHz();
        assertEquals(130, f.length);
        double[] head = {0, 23.38275993, 46.76551987, 70.14827980, 93.53103974, 116.91379967};
        for (int i = 0; i < head.length; i++) assertEquals(head[i], f[i], 1e-8, "F[" + i + "]");
        double[] tail = {7441.69955738, 7623.33053648, 7809.39461750, 8000};
        for (int i = 0; i < tail.length; i++) assertEquals(tail[i], f[126 + i], 1e-7, "F[" + (126 + i) + "]");
        assertEquals(45.245640471924965, MelFilterbank.hzToMel(8000), 1e-12);
    }

    @Test
    void slaneyScaleIsLinearBelowOneKilohertz() {
        assertEquals(15.0, MelFilterbank.hzToMel(1000), 0);
        assertEquals(7.5, MelFilterbank.hzToMel(500), 1e-15);
        assertEquals(1000.0, MelFilterbank.melToHz(15), 0);
        for (double hz : new double[] {0, 40, 999, 1000, 1234.5, 6400, 8000}) {
            assertEquals(hz, MelFilterbank.melToHz(MelFilterbank.hzToMel(hz)), 1e-9 * Math.max(1, hz));
        }
    }

    @Test
    void documentedWeights() {
        assertOnlyNonZero(0, 1, 0.0123739863);
        assertOnlyNonZero(1, 1, 0.0303925649);
        assertOnlyNonZero(2, 2, 0.0247479727);
        assertOnlyNonZero(10, 6, 0.0112891844, 0.00108480192);
        assertEquals(0.000475695083, W[191][127], 1e-12);
        assertEquals(0.00161717173, W[192][127], 1e-11);
        assertEquals(0.00275864838, W[193][127], 1e-11);
        for (int k = 191; k <= 199; k++) assertTrue(W[k][127] > 0, "bin " + k);
        assertEquals(0, W[190][127]);
        assertEquals(0, W[200][127]);
    }

    @Test
    void totalAndNoEmptyFilter() {
        double sum = 0;
        for (int j = 0; j < MelFilterbank.FILTERS; j++) {
            double filterSum = 0;
            for (int k = 0; k < MelFilterbank.BINS; k++) filterSum += W[k][j];
            assertTrue(filterSum > 0, "filter " + j + " is empty");
            sum += filterSum;
        }
        assertEquals(3.19098552854, sum, 1e-10);
    }

    @Test
    void float32MatrixIsTheRoundedFloat64One() {
        float[][] m = MelFilterbank.get().matrix();
        assertEquals(MelFilterbank.BINS, m.length);
        assertEquals(MelFilterbank.FILTERS, m[0].length);
        for (int k = 0; k < MelFilterbank.BINS; k++) {
            for (int j = 0; j < MelFilterbank.FILTERS; j++) assertEquals((float) W[k][j], m[k][j], 0f);
        }
    }

    @Test
    void applyIsTheMatrixProduct() {
        float[] power = new float[MelFilterbank.BINS];
        for (int k = 0; k < power.length; k++) power[k] = (float) (1 + Math.sin(k));
        float[][] m = MelFilterbank.get().matrix();
        for (int j = 0; j < MelFilterbank.FILTERS; j++) {
            double expected = 0;
            for (int k = 0; k < power.length; k++) expected += (double) m[k][j] * power[k];
            assertEquals((float) expected, MelFilterbank.get().apply(j, power), 0f, "filter " + j);
        }
    }

    private static void assertOnlyNonZero(int filter, int firstBin, double... values) {
        for (int k = 0; k < MelFilterbank.BINS; k++) {
            int i = k - firstBin;
            double expected = i >= 0 && i < values.length ? values[i] : 0;
            assertEquals(expected, W[k][filter], 1e-10, "filter " + filter + " bin " + k);
        }
    }
}
