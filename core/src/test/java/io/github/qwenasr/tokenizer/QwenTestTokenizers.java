package io.github.qwenasr.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: the real Qwen3 vocabulary from the shared data ({@code ../shared/data/qwen3-tokenizer})
 * with the added tokens 151643…151705 built here, since the shared files do not carry them. Ids
 * whose names docs/model.md 5.1 gives use those names; the others get placeholders.
 * A missing fixture fails the test (it never skips).
 */
public final class QwenTestTokenizers {
    private static final Map<PreTokenizerRegex, Tokenizer> CACHE = new EnumMap<>(PreTokenizerRegex.class);

    private QwenTestTokenizers() {
    }

    /** The shared data root: property {@code qwenasr.shared}, else ../shared, else ../../shared. */
    public static Path sharedDir() {
        String prop = System.getProperty("qwenasr.shared");
        List<Path> candidates = new ArrayList<>();
        if (prop != null && !prop.isBlank()) candidates.add(Path.of(prop));
        candidates.add(Path.of("../shared"));
        candidates.add(Path.of("../../shared"));
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("data"))) return p;
        }
        throw new AssertionError("Shared test data not found (set -Dqwenasr.shared); tried " + candidates);
    }

    /** Folder holding vocab.json and merges.txt. */
    public static Path vocabularyDir() {
        Path dir = sharedDir().resolve("data/qwen3-tokenizer");
        if (!Files.isRegularFile(dir.resolve("vocab.json")) || !Files.isRegularFile(dir.resolve("merges.txt"))) {
            throw new AssertionError("Missing fixture: vocab.json / merges.txt in " + dir);
        }
        return dir;
    }

    /** Content of an added token in this fixture. */
    public static String addedTokenContent(int id) {
        return switch (id) {
            case 151643 -> "<|endoftext|>";
            case 151644 -> "<|im_start|>";
            case 151645 -> "<|im_end|>";
            case 151669 -> "<|audio_start|>";
            case 151670 -> "<|audio_end|>";
            case 151676 -> "<|audio_pad|>";
            case 151704 -> "<asr_text>";
            case 151705 -> "<timestamp>";
            default -> "<|placeholder_" + id + "|>";
        };
    }

    /** Ids 151643…151705; only {@code <asr_text>} is not special (docs/model.md 5.1). */
    public static List<AddedToken> addedTokens() {
        List<AddedToken> list = new ArrayList<>();
        for (int id = 151643; id <= 151705; id++) list.add(new AddedToken(id, addedTokenContent(id), id != 151704));
        return list;
    }

    /** The shared tokenizer with the given pre-tokenisation regex (built once per regex). */
    public static synchronized Tokenizer qwen3(PreTokenizerRegex regex) {
        return CACHE.computeIfAbsent(regex, r -> {
            Path dir = vocabularyDir();
            return Tokenizer.create(dir.resolve("vocab.json"), dir.resolve("merges.txt"), addedTokens(), r);
        });
    }
}
