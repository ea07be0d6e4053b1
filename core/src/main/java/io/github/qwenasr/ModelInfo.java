package io.github.qwenasr;

import java.nio.file.Path;
import java.util.List;

/**
 * What a loaded model is (docs/model.md 1.4): for status lines and for callers that pick a model.
 * {@code QwenAsr.info()} and {@code ForcedAligner.info()} return it.
 *
 * @param variant        "Qwen3-ASR-0.6B", "Qwen3-ASR-1.7B", or a description of a custom shape
 * @param directory      the directory it was loaded from
 * @param parameters     elements of all stored tensors
 * @param encoderLayers  audio encoder layers
 * @param decoderLayers  text decoder layers
 * @param hiddenSize     decoder width
 * @param vocabSize      rows of the token embedding
 * @param maxPositions   max_position_embeddings: prompt and output of one piece together stay below it
 * @param languages      the language names it accepts: as a forced language (speech model), or
 *                       to time (aligner)
 * @param quantization   how the decoder's linear weights are held ({@link LoadOptions#quantization()})
 * @param quantizationNote one line on how quantized weights were obtained at this load (a cache file
 *                       mapped or written, or memory, with its size and time, and why no file was
 *                       used if so), for a log; empty with {@link Quantization#NONE}
 * @param compute        the compute mode asked for and the one the matmuls run on ({@link LoadOptions#compute()})
 */
public record ModelInfo(String variant, Path directory, long parameters, int encoderLayers, int decoderLayers,
                        int hiddenSize, int vocabSize, int maxPositions, List<String> languages,
                        Quantization quantization, String quantizationNote, ComputeStatus compute) {
    public ModelInfo {
        languages = List.copyOf(languages);
        if (quantization == null) throw new IllegalArgumentException("quantization must not be null");
        if (quantizationNote == null) throw new IllegalArgumentException("quantizationNote must not be null");
        if (compute == null) throw new IllegalArgumentException("compute must not be null");
    }
}
