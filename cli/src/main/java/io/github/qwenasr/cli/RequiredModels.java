package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.hub.DownloadOptions;
import io.github.qwenasr.hub.HubClient;
import io.github.qwenasr.hub.ModelCache;
import io.github.qwenasr.hub.ModelCatalog;
import io.github.qwenasr.hub.ModelDownloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model folders a run needs (docs/modes.md 1.7): the {@code -d} and {@code --aligner} folders when
 * given, else the catalog models in the cache. A catalog model that is not (completely) downloaded is
 * downloaded first, as the Hugging Face tools do, with the {@code download} command's progress, resume
 * and verification; {@code --offline} or {@code HF_HUB_OFFLINE=1} forbid that, and then the error says
 * which command fetches it.
 */
final class RequiredModels {
    /** The Hugging Face tools' switch for "never touch the network". */
    static final String OFFLINE_ENV = "HF_HUB_OFFLINE";
    private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");

    private final CliRequest request;
    private final Map<String, String> env;
    private final Log log;

    RequiredModels(CliRequest request, Map<String, String> env, Log log) {
        this.request = request;
        this.env = env;
        this.log = log;
    }

    /**
     * Fails before any input is read when a model cannot be had: a {@code -d} or {@code --aligner}
     * folder that does not exist, or a catalog model that is missing while downloading is forbidden.
     * Nothing is downloaded here.
     */
    void checkAvailable() {
        if (request.alignment() == null) {
            if (request.modelDir() != null) requireModelDirectory(request.modelDir());
            else if (offline()) cachedOrHint(ModelCatalog.DEFAULT);
        }
        if (request.usesAligner()) {
            if (request.alignerDir() != null) requireAlignerDirectory(request.alignerDir());
            else if (offline()) cachedOrHint(ModelCatalog.ALIGNER);
        }
    }

    /** The speech model: {@code -d}, else the default model in the cache, downloaded first if needed. */
    Path speechModel() {
        if (request.modelDir() != null) {
            requireModelDirectory(request.modelDir());
            return request.modelDir();
        }
        return cachedOrDownloaded(ModelCatalog.DEFAULT, "No model given (-d)");
    }

    /** The forced aligner: {@code --aligner}, else the one in the cache, downloaded first if needed. */
    Path aligner() {
        if (request.alignerDir() != null) {
            requireAlignerDirectory(request.alignerDir());
            return request.alignerDir();
        }
        return cachedOrDownloaded(ModelCatalog.ALIGNER, "No aligner given (--aligner)");
    }

    /** Whether downloading is forbidden: --offline, or HF_HUB_OFFLINE set to a true value. */
    boolean offline() {
        return request.offline() || envOffline();
    }

    private boolean envOffline() {
        String v = env.get(OFFLINE_ENV);
        return v != null && TRUE.contains(v.strip().toLowerCase(Locale.ROOT));
    }

    private Path cachedOrDownloaded(ModelCatalog model, String lead) {
        ModelCache cache = ModelCache.fromEnvironment(env);
        if (cache.isComplete(model)) return cache.modelDir(model);
        if (offline()) return cachedOrHint(model);
        boolean silent = log.verbosity() == Verbosity.SILENT;
        log.info(lead + ": downloading " + model.repoId() + " into the model cache first, once "
                + "(--offline prevents this)");
        return DownloadProgress.withResumeNotice(log.stream(), silent, () -> {
            try (HubClient hub = HubClient.fromEnvironment(env)) {
                return new ModelDownloader(hub, DownloadOptions.defaults()).download(model,
                        ModelCatalog.DEFAULT_REVISION, cache, DownloadProgress.listener(log.stream(), env, silent));
            }
        });
    }

    /** The cached model, else the error that names the download command (nothing is downloaded). */
    private Path cachedOrHint(ModelCatalog model) {
        try {
            return model == ModelCatalog.ALIGNER ? DefaultModel.locateAligner(env) : DefaultModel.locate(env);
        } catch (QwenAsrException e) {
            String why = request.offline() ? "--offline" : OFFLINE_ENV + "=" + env.get(OFFLINE_ENV);
            throw new QwenAsrException(e.getMessage() + " (" + why + ": nothing is downloaded)", e);
        }
    }

    private static void requireModelDirectory(Path dir) {
        if (!Files.exists(dir)) throw new QwenAsrException("model directory not found: " + dir);
        if (!Files.isDirectory(dir)) throw new QwenAsrException("model path is not a directory: " + dir);
    }

    private static void requireAlignerDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new QwenAsrException("aligner model directory not found: " + dir);
    }
}
