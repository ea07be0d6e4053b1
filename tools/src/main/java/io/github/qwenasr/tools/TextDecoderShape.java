package io.github.qwenasr.tools;

import java.util.List;

/**
 * Dimensions of the Qwen3 text decoder of a synthetic checkpoint: the {@code text_config} object of
 * {@code config.json} (docs/model.md 1.3) and the shapes of the {@code thinker.model.*} tensors (docs/model.md 1.5).
 *
 * @param vocabSize       embedding rows V (must exceed 151705, 1.8)
 * @param hidden          hidden size H
 * @param layers          number of decoder layers
 * @param heads           query heads
 * @param kvHeads         key/value heads (GQA)
 * @param headDim         width of one head (need not equal H / heads)
 * @param intermediate    SwiGLU width I
 * @param ropeTheta       RoPE base
 * @param mropeSection    {@code rope_scaling.mrope_section}; the official rotary code writes the H and W
 *                        sections at indices {@code offset + 3k < 3·section}, which must stay below
 *                        {@code headDim / 2} (docs/model.md 4.4)
 * @param maxPositions    {@code max_position_embeddings} (informative, no scaling is applied)
 */
public record TextDecoderShape(
        int vocabSize,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int intermediate,
        long ropeTheta,
        List<Integer> mropeSection,
        int maxPositions) {

    public TextDecoderShape {
        mropeSection = List.copyOf(mropeSection);
        int half = headDim / 2;
        // The interleaved MRoPE merge indexes freqs[..., offset : 3·section : 3] for offsets 1 and 2.
        for (int axis = 1; axis < mropeSection.size(); axis++) {
            if (3 * mropeSection.get(axis) > half + axis) {
                throw new IllegalArgumentException("mrope_section " + mropeSection + " does not fit head_dim " + headDim);
            }
        }
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads must be a multiple of kv heads");
    }
}
