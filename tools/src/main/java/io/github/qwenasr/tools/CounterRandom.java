package io.github.qwenasr.tools;

import java.nio.charset.StandardCharsets;

/**
 * Counter-based deterministic random numbers for synthetic weights: element {@code i} of a tensor is a
 * pure function of (seed, tensor name, i), so tensors can be filled in any order, by any number of
 * threads, and always give the same bytes. The mixer is the SplitMix64 finaliser.
 */
public final class CounterRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final double SQRT3 = Math.sqrt(3.0);

    private CounterRandom() {
    }

    /** SplitMix64 finaliser: a bijective 64-bit mix. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes of a name (stable across JVMs, unlike identity hashes). */
    static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return h;
    }

    /** The key of one tensor's random stream. */
    public static long streamKey(long seed, String tensorName) {
        return mix64(mix64(seed + GOLDEN_GAMMA) ^ fnv1a64(tensorName));
    }

    /** Element {@code index} of a stream: uniform on (-√3, √3), i.e. zero mean and unit variance. */
    public static double unitUniform(long streamKey, long index) {
        long z = mix64(streamKey + (index + 1) * GOLDEN_GAMMA);
        // 53 random bits, centred so the distribution is symmetric around zero.
        double u = ((z >>> 11) + 0.5) * 0x1.0p-53;
        return (2.0 * u - 1.0) * SQRT3;
    }

    /** Rounds a float to bfloat16 bits with round-to-nearest-even (finite inputs). */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7F800000) == 0x7F800000) return (short) (bits >>> 16); // inf/NaN: truncate
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** The BF16 bits of element {@code index} of a tensor. */
    public static short bf16Element(TensorSpec spec, long streamKey, long index) {
        if (spec.std() == 0) return toBf16((float) spec.center());
        return toBf16((float) (spec.center() + spec.std() * unitUniform(streamKey, index)));
    }
}
