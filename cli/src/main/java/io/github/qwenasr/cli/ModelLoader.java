package io.github.qwenasr.cli;

import io.github.qwenasr.LoadOptions;
import io.github.qwenasr.QwenAsr;
import java.nio.file.Path;

/** Opens a model directory; {@code QwenAsr::load} in production, replaceable so tests can inject failures. */
@FunctionalInterface
interface ModelLoader {
    QwenAsr load(Path modelDir, LoadOptions options);
}
