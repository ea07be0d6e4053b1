package io.github.qwenasr;

/** How the compute-bound matmuls (encoder, conv stem, prefill) are run. */
public enum ComputeMode {
    /** Pure-Java f32 (the default; what the equivalence tests check). */
    EXACT,
    /**
     * A native GEMM with bf16 inputs and f32 sums (qwen-asr-native-bf16: oneDNN on a CPU with
     * avx512_bf16 or AMX); activations are rounded to bf16. Falls back to EXACT, with a reason in
     * {@link ModelInfo#compute()}, where it cannot run.
     */
    BF16;

    /**
     * The mode a command-line value names: {@code exact} or {@code bf16}, any case. The message of
     * the exception reads after the option's name ("--compute must be exact or bf16, got 'x'").
     */
    public static ComputeMode parse(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "exact" -> EXACT;
            case "bf16" -> BF16;
            default -> throw new IllegalArgumentException("must be exact or bf16, got '" + value + "'");
        };
    }
}
