package io.github.qwenasr.nativebf16;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * f32 to bf16 with round to nearest, ties to even (what torch's bf16 cast does): the top 16 bits
 * of {@code bits + 0x7FFF + (bit 16 of bits)}. NaN stays NaN (quiet); values past the largest
 * bf16 round to infinity.
 */
final class Bf16Rounding {
    private Bf16Rounding() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The bf16 bits nearest to v (ties to even). */
    static short round(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** src[from, from + count) rounded into dst as little-endian bf16, starting at byte 0. */
    static void round(float[] src, int from, int count, MemorySegment dst) {
        int upper = F.loopBound(count);
        int i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, src, from + i);
            IntVector bits = v.reinterpretAsInts();
            IntVector odd = bits.lanewise(VectorOperators.LSHR, 16).and(1);
            IntVector rounded = bits.add(0x7FFF).add(odd).lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> nan = v.test(VectorOperators.IS_NAN).cast(I);
            rounded = rounded.blend(bits.lanewise(VectorOperators.LSHR, 16).or(0x40), nan);
            ((ShortVector) rounded.castShape(S, 0)).intoMemorySegment(dst, 2L * i, ByteOrder.LITTLE_ENDIAN);
        }
        for (; i < count; i++) dst.set(SHORT_LE, 2L * i, round(src[from + i]));
    }
}
