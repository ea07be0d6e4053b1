package io.github.qwenasr.hub;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which files of a model repository are downloaded (docs/model.md 1.1): the weights
 * ({@code *.safetensors} and their index), the tokenizer ({@code vocab.json}, {@code merges.txt},
 * {@code tokenizer_config.json}, {@code tokenizer.json} and {@code special_tokens_map.json} if
 * present), {@code config.json} and the small informative JSON files the official package reads
 * ({@code preprocessor_config.json}, {@code chat_template.json}, {@code generation_config.json}),
 * so the directory is also a complete model for other tools. README, images and git attributes are
 * left out. Only top-level files are taken: no name with a path separator is ever written.
 */
final class ModelFiles {
    private static final Set<String> SMALL_FILES = Set.of("config.json", "generation_config.json",
            "preprocessor_config.json", "chat_template.json", "tokenizer_config.json", "tokenizer.json",
            "special_tokens_map.json", "vocab.json", "merges.txt", "model.safetensors.index.json");
    private static final List<String> REQUIRED = List.of("config.json", "vocab.json", "merges.txt", "tokenizer_config.json");
    private static final String WEIGHTS_SUFFIX = ".safetensors";

    private ModelFiles() {
    }

    /**
     * The files to download from {@code snapshot}, small ones first and the weights last, checked to
     * form a model the engine can load.
     *
     * @throws HubException when the repository lacks a file the engine needs (wrong repository)
     */
    static List<RemoteFile> select(RepoSnapshot snapshot) {
        List<RemoteFile> picked = new ArrayList<>();
        for (RemoteFile f : snapshot.files()) {
            if (isWanted(f.path())) picked.add(f);
        }
        picked.sort(Comparator.comparing((RemoteFile f) -> f.path().endsWith(WEIGHTS_SUFFIX)).thenComparing(RemoteFile::path));
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED) {
            if (picked.stream().noneMatch(f -> f.path().equals(name))) missing.add(name);
        }
        if (picked.stream().noneMatch(f -> f.path().endsWith(WEIGHTS_SUFFIX))) missing.add("*" + WEIGHTS_SUFFIX);
        if (!missing.isEmpty()) {
            throw new HubException(snapshot.repoId() + " at revision " + snapshot.revision()
                    + " is not a Qwen3-ASR model repository: it has no " + String.join(", ", missing), false);
        }
        return List.copyOf(picked);
    }

    static boolean isWanted(String path) {
        return isPlainFileName(path) && (SMALL_FILES.contains(path) || path.endsWith(WEIGHTS_SUFFIX));
    }

    /** A name that stays inside the model directory: no separator, not hidden, not "." or "..". */
    static boolean isPlainFileName(String name) {
        return !name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0
                && name.indexOf(':') < 0 && !name.startsWith(".");
    }
}
