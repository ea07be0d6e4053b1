package io.github.qwenasr.eval;

import io.github.qwenasr.TranscribeOptions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What an evaluation runs.
 *
 * @param model   the model directory, loaded once per mode
 * @param modes   the modes in report order: at least one, each once
 * @param threads worker threads of each loaded model
 * @param options how every utterance is transcribed (language, token limit, ...)
 */
public record EvalSettings(Path model, List<EvalMode> modes, int threads, TranscribeOptions options) {
    public EvalSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        modes = List.copyOf(modes);
        if (modes.isEmpty()) throw new IllegalArgumentException("no mode to evaluate");
        if (new HashSet<>(modes).size() != modes.size()) throw new IllegalArgumentException("a mode is listed twice: " + modes);
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
}
