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
    BF16
}
