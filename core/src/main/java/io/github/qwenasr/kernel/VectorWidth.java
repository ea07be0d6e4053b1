package io.github.qwenasr.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one width setting of the engine's kernels (docs/kernels.md 6): the vector width of every
 * Vector API kernel (bf16 and int8 mat-vecs, GEMM, element-wise ops, attention, resampler, VAD), or
 * their scalar path, fixed once per JVM. The system property {@code qwenasr.vector.bits} chooses
 * it: unset, the CPU's preferred float species; {@code 128}, {@code 256} or {@code 512} that many
 * bits; {@code scalar} plain Java loops with double sums where the vector kernels have fixed
 * float arithmetic, a reference for the vector paths and a way around them. The former
 * {@code qwenasr.kernel.reference=true} is an alias of {@code scalar}.
 *
 * <p>This is the only class that chooses a species; the others derive theirs from {@link #FLOAT}
 * (a source-scanning test checks it). An unknown value does not fail here, where a class
 * initializer would turn it into an {@code ExceptionInInitializerError} wherever a kernel is first
 * touched: the kernels then run at the preferred width and loading a model fails with
 * {@link #requireValid}'s one-line message.
 *
 * <p>Why a JVM-wide constant and not a species argument: C2 compiles a Vector API loop into SIMD
 * instructions only where the species is a compile-time constant. A kernel that takes the species
 * as a parameter ran at 0.1-0.4 GB/s instead of 15-17 GB/s (measured here, JDK 25), because the hot
 * loop is compiled on its own before any caller could inline it. So tests cover each width by running
 * the kernel tests in one JVM per width (core/pom.xml), each with this property set.
 */
public final class VectorWidth {
    private VectorWidth() {}

    /** System property naming the width: 128, 256, 512 or scalar. */
    public static final String PROPERTY = "qwenasr.vector.bits";
    /** The former switch of the scalar path; {@code true} means {@code qwenasr.vector.bits=scalar}. */
    public static final String REFERENCE_ALIAS = "qwenasr.kernel.reference";

    /** A parsed setting: the species, whether the kernels run scalar, and what was wrong with the value (or null). */
    record Setting(VectorSpecies<Float> species, boolean scalar, String problem) {}

    private static final Setting SETTING = parse(System.getProperty(PROPERTY), System.getProperty(REFERENCE_ALIAS));

    /**
     * Whether the kernels take their scalar paths. Where this is true, {@link #FLOAT} still sets the
     * layouts that derive from a width (GEMM panels, the bf16 input order), and no vector loop runs.
     */
    public static final boolean SCALAR = SETTING.scalar();

    /** The float species of the vector kernels (the preferred one when {@link #SCALAR}). */
    public static final VectorSpecies<Float> FLOAT = SETTING.species();

    static Setting parse(String bits, String reference) {
        boolean alias = reference != null && Boolean.parseBoolean(reference.strip());
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) return new Setting(preferred, alias, null);
        VectorShape shape = switch (bits.strip()) {
            case "128" -> VectorShape.S_128_BIT;
            case "256" -> VectorShape.S_256_BIT;
            case "512" -> VectorShape.S_512_BIT;
            default -> null;
        };
        if ("scalar".equalsIgnoreCase(bits.strip())) return new Setting(preferred, true, null);
        if (shape == null) {
            return new Setting(preferred, false, PROPERTY + " must be 128, 256, 512 or scalar, not '" + bits + "'");
        }
        if (alias) {
            return new Setting(preferred, false, REFERENCE_ALIAS + "=true (the scalar path) contradicts " + PROPERTY + "=" + bits.strip());
        }
        return new Setting(VectorSpecies.of(float.class, shape), false, null);
    }

    /**
     * Fails with a one-line message when the system properties hold a value the setting does not
     * know; called when a model is loaded.
     *
     * @throws IllegalArgumentException naming the property and the accepted values
     */
    public static void requireValid() {
        if (SETTING.problem() != null) throw new IllegalArgumentException(SETTING.problem());
    }
}
