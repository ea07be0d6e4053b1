package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.hub.ModelCatalog;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model transcription uses when no {@code -d} is given: the default catalog model in the cache,
 * if its download finished. Otherwise the error says which command fetches it; there is no
 * interactive prompt (the earlier engine's prompt read the stdin that {@code --stdin} audio uses,
 * docs/modes.md 1.7 and 12.1.10).
 */
final class DefaultModel {
    private DefaultModel() {
    }

    static Path locate(Map<String, String> env) {
        return locate(env, ModelCatalog.DEFAULT, "no model given (-d) and the default model ");
    }

    /** The forced aligner in the cache, used by --align and --timestamps when no --aligner is given. */
    static Path locateAligner(Map<String, String> env) {
        return locate(env, ModelCatalog.ALIGNER, "no aligner given (--aligner) and the forced aligner ");
    }

    private static Path locate(Map<String, String> env, ModelCatalog model, String lead) {
        ModelCache cache = ModelCache.fromEnvironment(env);
        if (cache.isComplete(model)) return cache.modelDir(model);
        String state = cache.isPartial(model) ? "is only partly downloaded" : "is not downloaded";
        throw new QwenAsrException(lead + model.repoName() + " " + state
                + " (in " + cache.root() + "); run: qwen-asr download " + model.shortName());
    }
}
