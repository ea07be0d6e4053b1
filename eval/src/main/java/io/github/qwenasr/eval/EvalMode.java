package io.github.qwenasr.eval;

import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the model is loaded for one row of the report (docs/modes.md 13.1). This is the one place that
 * maps a mode to the engine's load call: a mode this version of the engine cannot load is listed
 * here as unavailable, and {@link #load} is the only code that would change to wire it.
 */
public enum EvalMode {
    /** The default: bf16 weights, f32 arithmetic in pure Java, the path the equivalence tests cover. */
    EXACT,
    /** The decoder's linear weights quantized to int8 at load ({@code --quantize int8}). */
    INT8,
    /** The encoder and prefill matmuls in bf16 through a native GEMM ({@code --compute bf16}). */
    BF16;

    /** The name on the command line and in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this version of the engine can load the model this way. */
    public boolean available() {
        return switch (this) {
            case EXACT, INT8 -> true;
            case BF16 -> false;
        };
    }

    /**
     * Loads the model in this mode.
     *
     * @throws io.github.qwenasr.QwenAsrException when the model cannot be loaded
     * @throws UnsupportedOperationException when this mode is not {@link #available()}
     */
    public QwenAsr load(Path model, int threads) {
        if (!available()) throw new UnsupportedOperationException(unavailableMessage());
        Quantization weights = this == INT8 ? Quantization.INT8 : Quantization.NONE;
        return QwenAsr.load(model, new LoadOptions(Math.max(1, threads), weights));
    }

    /** The one-line answer to a request for this mode when it is not {@link #available()}. */
    public String unavailableMessage() {
        return "mode '" + label() + "' is not supported by this version of qwen-asr (available: " + availableLabels() + ")";
    }

    /** The mode named {@code label} in any case, or empty. */
    public static Optional<EvalMode> parse(String label) {
        return Arrays.stream(values()).filter(m -> m.label().equalsIgnoreCase(label.strip())).findFirst();
    }

    /** The labels of the modes this version can load, comma-separated. */
    public static String availableLabels() {
        return Arrays.stream(values()).filter(EvalMode::available).map(EvalMode::label).collect(Collectors.joining(", "));
    }
}
