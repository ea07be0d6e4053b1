package io.github.qwenasr;

/**
 * How a model is loaded. Immutable; use the withers.
 *
 * @param threads worker threads (at least 1)
 * @param compute how the encoder, conv stem and prefill matmuls run (default EXACT)
 */
public record LoadOptions(int threads, ComputeMode compute) {
    public LoadOptions {
        if (threads < 1) throw new QwenAsrException("threads must be at least 1, got " + threads);
        if (compute == null) compute = ComputeMode.EXACT;
    }

    /** One thread per available processor (at most 16), exact f32. */
    public static LoadOptions defaults() {
        return new LoadOptions(QwenAsr.defaultThreads(), ComputeMode.EXACT);
    }

    public LoadOptions withThreads(int n) {
        return new LoadOptions(n, compute);
    }

    public LoadOptions withCompute(ComputeMode mode) {
        return new LoadOptions(threads, mode);
    }
}
