package io.github.qwenasr.kernel;

import java.lang.foreign.MemorySegment;

/**
 * A native GEMM for the many-row linear layers (encoder, conv stem, prefill), found with
 * {@link java.util.ServiceLoader} when a model is loaded with {@code ComputeMode.BF16}; the
 * qwen-asr-native-bf16 module provides one (oneDNN's bf16 GEMM). The default exact mode never
 * uses it: every product then runs in the pure-Java f32 kernels.
 *
 * <p>Wiring point: {@link MatMul#linear} hands a product to the backend of its {@link Parallel}
 * ({@link MatMul#offloads}); {@code encoder.Conv2d} asks the same question to skip its f32 panels.
 */
public interface GemmBackend {
    /** What runs the products, for messages (e.g. "oneDNN 2.6.3 bf16 GEMM"). */
    String name();

    /**
     * Null when the backend can run on this machine; otherwise one line saying what is missing
     * (library, CPU feature) and how to get it. May take a few milliseconds (it loads the library).
     */
    String unavailableReason();

    /**
     * {@code y[r*n + j] = bias[j] + sum_i bf16(x[r*k + i]) * w[j*k + i]} for r in [0, m), j in [0, n):
     * the activations are rounded to bf16 (nearest even) and the products summed in f32.
     * Thread-safe: models on different pools may call it at the same time.
     *
     * @param par  the model's pool: its thread count is the product's, and its workers may run the
     *             backend's own passes (rounding, copies); the caller holds the pool for the call
     * @param w    n*k bf16 values, row-major [out][in], as the checkpoint stores them (not copied)
     * @param bias n values, or null
     */
    void linear(Parallel par, float[] x, int m, int k, MemorySegment w, int n, float[] bias, float[] y);
}
