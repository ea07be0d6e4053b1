package io.github.qwenasr.hub;

import io.github.qwenasr.QwenAsrException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where downloaded models live: one directory per model, named after its repository
 * ({@code <root>/Qwen3-ASR-0.6B}), under a per-user cache root.
 *
 * <p>The root is, in order: {@code $QWEN_ASR_CACHE}; {@code $XDG_CACHE_HOME/qwen-asr} (XDG base
 * directory spec; ignored unless absolute, as the spec says); else the platform's cache folder:
 * {@code %LOCALAPPDATA%\qwen-asr} on Windows, {@code ~/Library/Caches/qwen-asr} on macOS,
 * {@code ~/.cache/qwen-asr} elsewhere. A model counts as downloaded only when the downloader has
 * verified every file and left its {@link CompletionRecord}.
 */
public final class ModelCache {
    /** Environment variable that overrides the cache root. */
    public static final String CACHE_ENV = "QWEN_ASR_CACHE";
    private static final String DIR_NAME = "qwen-asr";

    private final Path root;

    public ModelCache(Path root) {
        this.root = root;
    }

    /** The cache of this process: {@link #defaultRoot} of its environment and system properties. */
    public static ModelCache fromEnvironment(Map<String, String> env) {
        return new ModelCache(defaultRoot(env, System.getProperty("os.name", ""), System.getProperty("user.home")));
    }

    /**
     * The cache root for the given environment, operating system name ({@code os.name}) and home
     * directory; see the class comment for the rules.
     */
    public static Path defaultRoot(Map<String, String> env, String osName, String userHome) {
        String override = env.get(CACHE_ENV);
        if (override != null && !override.isBlank()) return path(CACHE_ENV, override.strip());
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            Path p = path("XDG_CACHE_HOME", xdg.strip());
            if (p.isAbsolute()) return p.resolve(DIR_NAME);
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            if (local != null && !local.isBlank()) return path("LOCALAPPDATA", local.strip()).resolve(DIR_NAME);
            return home(userHome).resolve("AppData").resolve("Local").resolve(DIR_NAME);
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home(userHome).resolve("Library").resolve("Caches").resolve(DIR_NAME);
        }
        return home(userHome).resolve(".cache").resolve(DIR_NAME);
    }

    public Path root() {
        return root;
    }

    /** The directory a catalog model is downloaded into. */
    public Path modelDir(ModelCatalog model) {
        return root.resolve(model.repoName());
    }

    /** Whether {@code model} was downloaded completely (its files verified and still all there). */
    public boolean isComplete(ModelCatalog model) {
        return CompletionRecord.isComplete(modelDir(model));
    }

    /** Whether a download of {@code model} was started here but has not finished. */
    public boolean isPartial(ModelCatalog model) {
        return Files.isDirectory(modelDir(model)) && !isComplete(model);
    }

    private static Path home(String userHome) {
        if (userHome == null || userHome.isBlank()) {
            throw new QwenAsrException("cannot find the home directory for the model cache; set " + CACHE_ENV);
        }
        return Path.of(userHome);
    }

    private static Path path(String source, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new QwenAsrException(source + " is not a valid path: '" + value + "'");
        }
    }
}
