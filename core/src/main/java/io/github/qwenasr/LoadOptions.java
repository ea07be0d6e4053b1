package io.github.qwenasr;

/**
 * How a model is loaded. Immutable; use the withers. The two fast modes are independent and combine:
 * int8 decoder weights speed up decoding (memory-bound), bf16 compute the encoder and the prompt
 * (compute-bound).
 *
 * @param threads      worker threads of the model's kernels (at least 1)
 * @param quantization how the decoder's linear weights are held (default {@link Quantization#NONE})
 * @param compute      how the encoder, conv stem and prefill matmuls run (default {@link ComputeMode#EXACT})
 */
public record LoadOptions(int threads, Quantization quantization, ComputeMode compute) {
    public LoadOptions {
        if (threads < 1) throw new QwenAsrException("threads must be at least 1, got " + threads);
        if (quantization == null) throw new IllegalArgumentException("quantization must not be null");
        if (compute == null) throw new IllegalArgumentException("compute must not be null");
    }

    /** One thread per available processor (at most 16), weights as stored, exact f32. */
    public static LoadOptions defaults() {
        return new LoadOptions(QwenAsr.defaultThreads(), Quantization.NONE, ComputeMode.EXACT);
    }

    public LoadOptions withThreads(int threads) {
        return new LoadOptions(threads, quantization, compute);
    }

    public LoadOptions withQuantization(Quantization quantization) {
        return new LoadOptions(threads, quantization, compute);
    }

    public LoadOptions withCompute(ComputeMode compute) {
        return new LoadOptions(threads, quantization, compute);
    }
}
