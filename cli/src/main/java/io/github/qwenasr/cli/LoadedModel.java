package io.github.qwenasr.cli;

import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.QwenAsr;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A speech model loaded with the usual status lines (docs/modes.md 1.4: "Loading model from",
 * "Detected", then with --compute bf16 what runs the matmuls or why exact does, "Model loaded in",
 * then with --quantize int8 how the int8 weights were obtained), and how long loading took, for --profile.
 *
 * @param asr        the model; closing this closes it
 * @param loadMillis wall time of the load
 */
record LoadedModel(QwenAsr asr, double loadMillis) implements AutoCloseable {
    static LoadedModel load(ModelLoader loader, Path dir, LoadOptions options, Log log) {
        log.info("Loading model from " + dir);
        long start = System.nanoTime();
        QwenAsr asr = loader.load(dir, options);
        double millis = (System.nanoTime() - start) / 1e6;
        log.info("Detected: " + asr.info().variant() + " (" + options.threads() + " threads)");
        ComputeNotice.log(asr.info().compute(), log);
        log.info(String.format(Locale.ROOT, "Model loaded in %.0f ms", millis));
        if (!asr.info().quantizationNote().isEmpty()) log.info(asr.info().quantizationNote());
        return new LoadedModel(asr, millis);
    }

    @Override
    public void close() {
        asr.close();
    }
}
