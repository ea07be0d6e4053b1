package io.github.qwenasr;

/**
 * Encoder self-attention span (docs/model.md 3.6). WINDOWED is the trained behaviour (104-token
 * windows, as vLLM and FlashAttention-2 run it); FULL reproduces the official transformers CPU
 * path, which attends over the whole audio. They agree for audio of at most 8 s.
 */
public enum EncoderAttention {
    WINDOWED,
    FULL
}
