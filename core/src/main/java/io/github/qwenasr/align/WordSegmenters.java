package io.github.qwenasr.align;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link WordSegmenter} for a language on the class path (docs/model.md 7.2). Each language is
 * looked up once: loading a dictionary-based analyser is slow, and the answer cannot change at run time.
 */
final class WordSegmenters {
    private static final Map<String, Optional<WordSegmenter>> FOUND = new ConcurrentHashMap<>();

    private WordSegmenters() {
    }

    /** The segmenter registered for {@code language} (case-insensitive), if any. */
    static Optional<WordSegmenter> forLanguage(String language) {
        return FOUND.computeIfAbsent(language.toLowerCase(Locale.ROOT), WordSegmenters::load);
    }

    private static Optional<WordSegmenter> load(String lang) {
        ClassLoader loader = WordSegmenter.class.getClassLoader();
        for (WordSegmenter s : ServiceLoader.load(WordSegmenter.class, loader)) {
            if (s.language().toLowerCase(Locale.ROOT).equals(lang)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
