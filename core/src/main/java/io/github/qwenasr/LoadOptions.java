package io.github.qwenasr;

/**
 * How a model is loaded.
 *
 * @param threads      worker threads of the model's kernels (at least 1)
 * @param quantization how the decoder's linear weights are held
 */
public record LoadOptions(int threads, Quantization quantization) {
    public LoadOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        if (quantization == null) throw new IllegalArgumentException("quantization must not be null");
    }

    /** One thread per available processor (at most 16), weights as stored. */
    public static LoadOptions defaults() {
        return new LoadOptions(QwenAsr.defaultThreads(), Quantization.NONE);
    }

    public LoadOptions withThreads(int threads) {
        return new LoadOptions(threads, quantization);
    }

    public LoadOptions withQuantization(Quantization quantization) {
        return new LoadOptions(threads, quantization);
    }
}
