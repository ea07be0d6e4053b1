package io.github.qwenasr.spark;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Which models an executor loads: the speech model, the forced aligner (null for none) and the
 * worker threads of the engine (0: as many as the executor's processors, at most 16). Equal keys share one loaded engine per JVM ({@link EngineCache}).
 */
public record EngineKey(String modelDir, String alignerDir, int threads) implements Serializable {
    public EngineKey {
        if (modelDir == null || modelDir.isBlank()) throw new IllegalArgumentException("a model directory is needed");
        if (alignerDir != null && alignerDir.isBlank()) alignerDir = null;
        if (threads < 0) throw new IllegalArgumentException("threads must be 0 (automatic) or more, got " + threads);
    }

    public Path modelPath() {
        return Path.of(modelDir);
    }

    /** The aligner's directory, or null. */
    public Path alignerPath() {
        return alignerDir == null ? null : Path.of(alignerDir);
    }
}
