package io.github.qwenasr.tools;

/**
 * How the random weights of a synthetic checkpoint are scaled (docs/model.md 1.8). A default N(0, 0.02)
 * model repeats one token whatever the audio; these scales keep activations at unit size, make decoder
 * attention sharp enough to read individual audio positions, and give the output head its own matrix.
 *
 * <p>Every tensor is filled with {@code center + std · u}, u uniform with unit variance. Linear and
 * convolution weights use {@code std = gain / sqrt(fan_in)}.
 *
 * @param linearGain      multiplier on 1/sqrt(fan_in) for every linear and convolution weight
 * @param biasStd         standard deviation of every bias and LayerNorm shift
 * @param normJitter      standard deviation of LayerNorm/RMSNorm gains around 1
 * @param embedStd        standard deviation of the token embedding
 * @param qkNormGain      constant value of the {@code q_norm}/{@code k_norm} weights of the first
 *                        {@code sharpLayers} decoder layers: sharp attention there reads individual audio
 *                        positions straight from the spliced audio vectors
 * @param sharpLayers     how many leading decoder layers get {@code qkNormGain}
 * @param qkNormDeepGain  the q/k-norm value of every later layer; sharp attention in every layer of a deep
 *                        decoder amplifies float32 rounding until tokens flip at near-ties
 * @param headGain        multiplier on 1/sqrt(H) for {@code thinker.lm_head.weight}
 */
public record InitScales(
        double linearGain,
        double biasStd,
        double normJitter,
        double embedStd,
        double qkNormGain,
        int sharpLayers,
        double qkNormDeepGain,
        double headGain) {

    /** The q/k-norm weight value of decoder layer {@code layer}. */
    public double qkNormGainOfLayer(int layer) {
        return layer < sharpLayers ? qkNormGain : qkNormDeepGain;
    }
}
