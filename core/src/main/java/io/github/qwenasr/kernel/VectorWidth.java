package io.github.qwenasr.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width of the engine's Vector API kernels (bf16 and int8 mat-vecs, GEMM, element-wise
 * ops, attention, resampler, VAD), fixed once per JVM: the CPU's preferred float species, or the one
 * named by the system property {@code qwenasr.vector.bits} (128, 256 or 512).
 *
 * <p>Why a JVM-wide constant and not a species argument: C2 compiles a Vector API loop into SIMD
 * instructions only where the species is a compile-time constant. A kernel that takes the species
 * as a parameter ran at 0.1-0.4 GB/s instead of 15-17 GB/s (measured here, JDK 25), because the hot
 * loop is compiled on its own before any caller could inline it. So tests cover each width by running
 * the kernel tests in one JVM per width (core/pom.xml), each with this property set.
 */
public final class VectorWidth {
    private VectorWidth() {}

    /** System property naming the width in bits. */
    public static final String PROPERTY = "qwenasr.vector.bits";

    /** The float species of the kernels. */
    public static final VectorSpecies<Float> FLOAT = choose(System.getProperty(PROPERTY));

    static VectorSpecies<Float> choose(String bits) {
        if (bits == null || bits.isBlank()) return FloatVector.SPECIES_PREFERRED;
        return switch (bits.strip()) {
            case "128" -> VectorSpecies.of(float.class, VectorShape.S_128_BIT);
            case "256" -> VectorSpecies.of(float.class, VectorShape.S_256_BIT);
            case "512" -> VectorSpecies.of(float.class, VectorShape.S_512_BIT);
            default -> throw new IllegalStateException(PROPERTY + " must be 128, 256 or 512, not " + bits);
        };
    }
}
