package io.github.qwenasr.engine;

/**
 * Encoder output of one stretch of audio, with what it cost. Kept by the caller so a re-decode
 * (segmented mode's collapse retry) does not repeat the encoder. The rows are handed over, not
 * copied (megabytes per piece): whoever receives them must not change them.
 */
public final class EncodedAudio {
    private final float[] rows;
    private final int count;
    private final int melFrames;
    private final int samples;
    private final long melNanos;
    private final long encoderNanos;

    EncodedAudio(float[] rows, int count, int melFrames, int samples, long melNanos, long encoderNanos) {
        this.rows = rows;
        this.count = count;
        this.melFrames = melFrames;
        this.samples = samples;
        this.melNanos = melNanos;
        this.encoderNanos = encoderNanos;
    }

    /** [count][decoder hidden] encoder rows, the audio placeholders' embeddings (read-only). */
    public float[] rows() {
        return rows;
    }

    /** Encoder rows: the audio tokens of the prompt. */
    public int count() {
        return count;
    }

    public int melFrames() {
        return melFrames;
    }

    /** 16 kHz samples encoded (after any padding). */
    public int samples() {
        return samples;
    }

    public long melNanos() {
        return melNanos;
    }

    public long encoderNanos() {
        return encoderNanos;
    }
}
