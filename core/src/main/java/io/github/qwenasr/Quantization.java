package io.github.qwenasr;

/**
 * How the decoder's linear weights (q, k, v, o, gate, up, down of every layer) are held.
 * Embeddings, the output head, the norms and the audio encoder always stay as stored (bf16).
 */
public enum Quantization {
    /** As stored: bf16, exact float32 arithmetic. The default; what the equivalence tests prove. */
    NONE,
    /**
     * int8 with one float32 scale per row (symmetric absmax, round to nearest), quantized once into a
     * cache file next to the model (or the user cache folder) and memory-mapped on later loads. About
     * half the bytes per decoded token; logits differ from NONE by the quantization error (README,
     * Speed).
     */
    INT8
}
