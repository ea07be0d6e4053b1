package io.github.qwenasr.hub;

import java.util.Locale;
import java.util.Optional;

/**
 * The models the {@code download} command knows (docs/modes.md 1.7, with the defects of 12.1.10
 * fixed): the official Hugging Face repository ids, short names to type, and the size as published
 * (docs/model.md 1.1), in binary units so the label matches what lands on disk.
 */
public enum ModelCatalog {
    ASR_0_6B("0.6b", "Qwen/Qwen3-ASR-0.6B", "speech recognition, fast (1.75 GiB); the default model"),
    ASR_1_7B("1.7b", "Qwen/Qwen3-ASR-1.7B", "speech recognition, most accurate (4.38 GiB)"),
    ALIGNER("aligner", "Qwen/Qwen3-ForcedAligner-0.6B", "forced aligner: word timestamps for a transcript (1.71 GiB)");

    /** The branch downloaded unless another revision is asked for. */
    public static final String DEFAULT_REVISION = "main";

    /** What transcription uses when no model directory is given. */
    public static final ModelCatalog DEFAULT = ASR_0_6B;

    private final String shortName;
    private final String repoId;
    private final String description;

    ModelCatalog(String shortName, String repoId, String description) {
        this.shortName = shortName;
        this.repoId = repoId;
        this.description = description;
    }

    /** The name typed on the command line, e.g. "0.6b". */
    public String shortName() {
        return shortName;
    }

    /** The hub repository id, e.g. "Qwen/Qwen3-ASR-0.6B". */
    public String repoId() {
        return repoId;
    }

    /** The repository name without its owner, e.g. "Qwen3-ASR-0.6B": the model's directory in the cache. */
    public String repoName() {
        return repoId.substring(repoId.indexOf('/') + 1);
    }

    public String description() {
        return description;
    }

    /**
     * The model a user means by {@code name}: its short name, its repository name or its full
     * repository id, in any case ("0.6b", "Qwen3-ASR-0.6B", "qwen/qwen3-asr-0.6b").
     */
    public static Optional<ModelCatalog> find(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (ModelCatalog m : values()) {
            if (wanted.equals(m.shortName) || wanted.equals(m.repoName().toLowerCase(Locale.ROOT))
                    || wanted.equals(m.repoId.toLowerCase(Locale.ROOT))) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
