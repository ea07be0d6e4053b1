package io.github.qwenasr.eval;

import io.github.qwenasr.ComputeMode;
import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.Quantization;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How the model is loaded for one row of the report (docs/modes.md 13.1). This is the one place that
 * maps a mode to the engine's load call.
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

    /**
     * Loads the model in this mode. A bf16 load that falls back to exact f32 here (no native module or
     * library, a CPU without bf16) is an error: its row would measure the exact path under the bf16 label.
     *
     * @throws QwenAsrException when the model cannot be loaded, or not in this mode
     */
    public QwenAsr load(Path model, int threads) {
        LoadOptions options = LoadOptions.defaults().withThreads(Math.max(1, threads))
                .withQuantization(this == INT8 ? Quantization.INT8 : Quantization.NONE)
                .withCompute(this == BF16 ? ComputeMode.BF16 : ComputeMode.EXACT);
        QwenAsr asr = QwenAsr.load(model, options);
        if (asr.info().compute().fellBack()) {
            String why = asr.info().compute().detail();
            asr.close();
            throw new QwenAsrException("mode '" + label() + "' cannot run here: " + why);
        }
        return asr;
    }

    /** The mode named {@code label} in any case, or empty. */
    public static Optional<EvalMode> parse(String label) {
        return Arrays.stream(values()).filter(m -> m.label().equalsIgnoreCase(label.strip())).findFirst();
    }
}
