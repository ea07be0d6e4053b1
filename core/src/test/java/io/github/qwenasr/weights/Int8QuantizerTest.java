package io.github.qwenasr.weights;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Symmetric absmax rounding, group choice and the block layout of {@link Int8Matrix}. */
class Int8QuantizerTest {
    @Test
    void storedIndexIsAPermutationOfEachBlock() {
        Set<Integer> seen = new HashSet<>();
        for (int e = 0; e < 128; e++) {
            int s = Int8Matrix.storedIndex(e);
            assertEquals(e / 64, s / 64, "stays in its block");
            assertTrue(seen.add(s), "position " + s + " used twice");
        }
        // Byte j of int lane l is element 16 j + l.
        assertEquals(0, Int8Matrix.storedIndex(0));
        assertEquals(1, Int8Matrix.storedIndex(16));
        assertEquals(4, Int8Matrix.storedIndex(1));
        assertEquals(4 * 15 + 3, Int8Matrix.storedIndex(63));
    }

    @Test
    void valuesRoundToNearestWithinHalfAScale() {
        Random r = new Random(4);
        int n = 3;
        int k = 128;
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        w[5] = -7.5f;   // the absmax of row 0, group 0: it must map to -127
        byte[] q = new byte[n * k];
        float[] s = new float[n * 2];
        Int8Quantizer.quantize(w, n, k, 64, q, s);
        assertEquals(7.5f / 127f, s[0]);
        assertEquals(-127, q[Int8Matrix.storedIndex(5)]);
        for (int row = 0; row < n; row++) {
            for (int e = 0; e < k; e++) {
                float scale = s[row * 2 + e / 64];
                int stored = q[row * k + Int8Matrix.storedIndex(e)];
                assertEquals((int) Math.rint(w[row * k + e] / scale), stored, "row " + row + " e " + e);
                assertTrue(Math.abs(stored * scale - w[row * k + e]) <= scale * 0.5000001, "within half a step");
            }
        }
    }

    @Test
    void tiesGoToEvenAndZeroGroupsStayZero() {
        int k = 64;
        float[] w = new float[2 * k];
        w[0] = 127f;   // scale 1
        w[1] = 2.5f;   // a tie: rounds to 2
        w[2] = -3.5f;  // a tie: rounds to -4
        byte[] q = new byte[2 * k];
        float[] s = new float[2];
        Int8Quantizer.quantize(w, 2, k, k, q, s);
        assertEquals(1f, s[0]);
        assertEquals(2, q[Int8Matrix.storedIndex(1)]);
        assertEquals(-4, q[Int8Matrix.storedIndex(2)]);
        assertEquals(0f, s[1]);
        for (int e = 0; e < k; e++) assertEquals(0, q[k + e]);
    }

    @Test
    void groupFallsBackToTheRowWhenItDoesNotFit() {
        assertEquals(1024, Int8Quantizer.groupFor(1024, 0));
        assertEquals(64, Int8Quantizer.groupFor(1024, 64));
        assertEquals(32, Int8Quantizer.groupFor(3072, 32));
        assertEquals(3072, Int8Quantizer.groupFor(3072, 2048));
        assertEquals(128, Int8Quantizer.groupFor(128, 48));
        assertFalse(Int8Matrix.supports(96));
        assertTrue(Int8Matrix.supports(64));
    }

    @Test
    void nonFiniteWeightsAreRefused() {
        float[] w = new float[64];
        w[10] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Int8Quantizer.quantize(w, 1, 64, 64, new byte[64], new float[1]));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        w[10] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> Int8Quantizer.quantize(w, 1, 64, 64, new byte[64], new float[1]));
    }
}
