package io.github.qwenasr.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterRandomTest {

    private static short bf16(int floatBits) {
        return CounterRandom.toBf16(Float.intBitsToFloat(floatBits));
    }

    @Test
    void exactValuesKeepTheirBits() {
        assertEquals((short) 0x3F80, CounterRandom.toBf16(1.0f));
        assertEquals((short) 0x4080, CounterRandom.toBf16(4.0f));
        assertEquals((short) 0xBF80, CounterRandom.toBf16(-1.0f));
        assertEquals((short) 0x0000, CounterRandom.toBf16(0.0f));
    }

    @Test
    void roundsToNearestWithTiesToEven() {
        // Exactly halfway: keep the even mantissa (…80 stays, …81 goes up to …82).
        assertEquals((short) 0x3F80, bf16(0x3F808000));
        assertEquals((short) 0x3F82, bf16(0x3F818000));
        // Just below / above halfway.
        assertEquals((short) 0x3F80, bf16(0x3F807FFF));
        assertEquals((short) 0x3F81, bf16(0x3F808001));
        // Carry into the exponent: largest mantissa rounds up to the next power of two.
        assertEquals((short) 0x4000, bf16(0x3FFFFFFF));
        assertEquals((short) 0xBF81, bf16(0xBF808001));
    }

    @Test
    void elementsArePureFunctionsOfSeedNameAndIndex() {
        long k1 = CounterRandom.streamKey(1234, "a.weight");
        assertEquals(k1, CounterRandom.streamKey(1234, "a.weight"));
        assertNotEquals(k1, CounterRandom.streamKey(1235, "a.weight"));
        assertNotEquals(k1, CounterRandom.streamKey(1234, "b.weight"));
        assertEquals(CounterRandom.unitUniform(k1, 77), CounterRandom.unitUniform(k1, 77));
        assertNotEquals(CounterRandom.unitUniform(k1, 77), CounterRandom.unitUniform(k1, 78));
    }

    @Test
    void unitUniformHasZeroMeanUnitVarianceAndBoundedSupport() {
        long key = CounterRandom.streamKey(7, "x");
        int n = 400_000;
        double sum = 0, sumSq = 0, max = 0;
        for (int i = 0; i < n; i++) {
            double u = CounterRandom.unitUniform(key, i);
            sum += u;
            sumSq += u * u;
            max = Math.max(max, Math.abs(u));
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        assertEquals(0.0, mean, 0.01);
        assertEquals(1.0, var, 0.01);
        assertTrue(max < Math.sqrt(3.0) && max > 1.7, "support is (-sqrt 3, sqrt 3)");
    }
}
