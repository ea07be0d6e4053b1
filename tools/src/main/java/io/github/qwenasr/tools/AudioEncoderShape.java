package io.github.qwenasr.tools;

/**
 * Dimensions of the audio encoder ("AuT") of a synthetic checkpoint: the {@code audio_config} object of
 * {@code config.json} (docs/model.md 1.3) and the shapes of the {@code thinker.audio_tower.*} tensors (docs/model.md 1.5).
 *
 * @param numMelBins           mel bins of the input features (128 for every real checkpoint)
 * @param dModel               encoder width D
 * @param layers               number of encoder layers
 * @param heads                attention heads (D / heads must be 64 for the fixed 0.125 scale, 3.7)
 * @param ffnDim               feed-forward width F
 * @param downsampleHidden     channels of the three stride-2 convolutions
 * @param nWindow              half the chunk length in mel frames (docs/model.md 3.1)
 * @param nWindowInfer         attention window in mel frames (docs/model.md 3.6)
 * @param convChunksize        chunks per convolution batch (memory only)
 * @param outputDim            projector output width O (= decoder hidden size)
 * @param maxSourcePositions   rows of the sinusoidal position table (docs/model.md 3.4)
 */
public record AudioEncoderShape(
        int numMelBins,
        int dModel,
        int layers,
        int heads,
        int ffnDim,
        int downsampleHidden,
        int nWindow,
        int nWindowInfer,
        int convChunksize,
        int outputDim,
        int maxSourcePositions) {

    /** Mel bins left after three stride-2, pad-1, kernel-3 convolutions (docs/model.md 3.2): 128 → 16. */
    public int convOutFrequencies() {
        int f = numMelBins;
        for (int i = 0; i < 3; i++) f = (f - 1) / 2 + 1;
        return f;
    }

    /** Input width of {@code conv_out}: channels × remaining frequencies, channel-major (docs/model.md 3.3). */
    public int convOutInputs() {
        return downsampleHidden * convOutFrequencies();
    }
}
