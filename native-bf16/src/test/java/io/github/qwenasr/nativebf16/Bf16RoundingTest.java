package io.github.qwenasr.nativebf16;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * f32 to bf16 rounding against a reference that picks the nearer of the two neighbouring bf16
 * values in double arithmetic (ties to the even one). The pom runs this class again at 128- and
 * 256-bit vectors (-XX:MaxVectorSize), so every width the vector loop can take is covered.
 */
class Bf16RoundingTest {
    /** Nearest bf16 by comparing distances exactly (doubles hold every f32 and bf16 value). */
    static short reference(float v) {
        if (Float.isNaN(v)) return (short) ((Float.floatToRawIntBits(v) >>> 16) | 0x40);
        if (Float.isInfinite(v)) return (short) (Float.floatToRawIntBits(v) >>> 16);
        int bits = Float.floatToRawIntBits(v);
        int low = bits & 0xFFFF0000;                    // toward zero
        int high = low + 0x10000;                        // away from zero (may reach infinity)
        double lo = Float.intBitsToFloat(low);
        double hi = Float.intBitsToFloat(high);
        if (Float.isInfinite(Float.intBitsToFloat(high))) {
            // Past the largest bf16, f32 values at or beyond the halfway point round to infinity.
            double halfway = Math.abs(lo) + Math.ulp((float) lo) * 32768.0;
            return (short) ((Math.abs(v) >= halfway ? high : low) >>> 16);
        }
        double dLo = Math.abs(v - lo);
        double dHi = Math.abs(hi - v);
        if (dLo < dHi) return (short) (low >>> 16);
        if (dHi < dLo) return (short) (high >>> 16);
        return (short) ((((low >>> 16) & 1) == 0 ? low : high) >>> 16);
    }

    static float[] specials() {
        return new float[] {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x3F808000),  // tie, even below: stays
            Float.intBitsToFloat(0x3F818000),  // tie, odd below: rounds up
            Float.intBitsToFloat(0xBF818000),  // negative tie, odd below
            Float.intBitsToFloat(0x3F807FFF),  // just under the tie
            Float.intBitsToFloat(0x3F808001),  // just over the tie
            Float.intBitsToFloat(0x7F7F8000),  // tie at the largest bf16: to infinity (even)
            Float.intBitsToFloat(0x7F7F7FFF),  // just under: the largest bf16
            Float.intBitsToFloat(0x00018000),  // subnormal tie
            Float.intBitsToFloat(0x7FC00001),  // NaN whose top bits alone would read as infinity
            Float.intBitsToFloat(0x7F800001)};
    }

    @Test
    void scalarRoundsToNearestEven() {
        for (float v : specials()) {
            assertEquals(reference(v), Bf16Rounding.round(v), "0x" + Integer.toHexString(Float.floatToRawIntBits(v)));
        }
        assertTrue(Float.isNaN(Float.intBitsToFloat(Bf16Rounding.round(Float.intBitsToFloat(0x7F800001)) << 16)), "NaN stays NaN");
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 2_000_000; i++) {
            float v = Float.intBitsToFloat(r.nextInt());
            assertEquals(reference(v), Bf16Rounding.round(v), "0x" + Integer.toHexString(Float.floatToRawIntBits(v)));
        }
    }

    @Test
    void referenceIsNotTheSameFormula() {
        // The reference must disagree with plain truncation where rounding matters (a test of the test).
        float v = Float.intBitsToFloat(0x3F818000);
        assertEquals((short) 0x3F82, reference(v));
        assertNotEquals((short) (Float.floatToRawIntBits(v) >>> 16), reference(v));
    }

    @Test
    void arrayRoundingMatchesScalarAtEveryLengthAndOffset() {
        System.out.println("vector loop at " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits");
        SplittableRandom r = new SplittableRandom(5);
        float[] sp = specials();
        MemorySegment dst = Arena.ofAuto().allocate(2 * 200, 64);
        ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int len = 0; len <= 130; len++) {
            for (int from : new int[] {0, 1, 7}) {
                float[] src = new float[from + len];
                for (int i = 0; i < src.length; i++) {
                    src[i] = r.nextInt(4) == 0 ? sp[r.nextInt(sp.length)] : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-8, 9)));
                }
                dst.fill((byte) 0x55);
                Bf16Rounding.round(src, from, len, dst);
                for (int i = 0; i < len; i++) {
                    assertEquals(reference(src[from + i]), dst.get(le, 2L * i), "len " + len + " from " + from + " at " + i);
                }
                if (len < 200) assertEquals((short) 0x5555, dst.get(le, 2L * len), "nothing written past the end");
            }
        }
    }
}
