package io.github.qwenasr.spark;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.Quantization;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which models an executor loads: the speech model, the forced aligner (null for none), the worker
 * threads of the engine (0: as many as the executor's processors, at most 16), how the speech
 * model's decoder weights are held and how its encoder and prefill matmuls run. Equal keys share one
 * loaded engine per JVM ({@link EngineCache}).
 */
public record EngineKey(String modelDir, String alignerDir, int threads, Quantization quantization, ComputeMode compute)
        implements Serializable {
    public EngineKey {
        if (modelDir == null || modelDir.isBlank()) throw new IllegalArgumentException("a model directory is needed");
        if (alignerDir != null && alignerDir.isBlank()) alignerDir = null;
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (automatic) or more, got " + threads);
        if (quantization == null) throw new IllegalArgumentException("quantization must not be null");
        if (compute == null) throw new IllegalArgumentException("compute must not be null");
    }

    /** Exact f32 matmuls. */
    public EngineKey(String modelDir, String alignerDir, int threads, Quantization quantization) {
        this(modelDir, alignerDir, threads, quantization, ComputeMode.EXACT);
    }

    /** The weights as stored, exact f32 matmuls. */
    public EngineKey(String modelDir, String alignerDir, int threads) {
        this(modelDir, alignerDir, threads, Quantization.NONE);
    }

    public Path modelPath() {
        return Path.of(modelDir);
    }

    /** The aligner's directory, or null. */
    public Path alignerPath() {
        return alignerDir == null ? null : Path.of(alignerDir);
    }
}
