package io.github.qwenasr.tokenizer;

import java.util.Objects;

/**
 * One entry of {@code added_tokens_decoder} in {@code tokenizer_config.json} (docs/model.md 5.1,
 * docs/model.md 6.1): text that is matched verbatim before BPE and maps straight to its id.
 *
 * @param id      token id
 * @param content exact text of the token, e.g. {@code <|audio_pad|>}
 * @param special whether decoding with "skip special tokens" drops it
 * @param lstrip  whether a match also swallows the whitespace on its left
 * @param rstrip  whether a match also swallows the whitespace on its right
 */
public record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip) {
    public AddedToken {
        Objects.requireNonNull(content, "content");
        if (id < 0) throw new IllegalArgumentException("negative token id " + id);
        if (content.isEmpty()) throw new IllegalArgumentException("empty added token (id " + id + ")");
    }

    /** An added token without whitespace stripping, as all of Qwen's are. */
    public AddedToken(int id, String content, boolean special) {
        this(id, content, special, false, false);
    }
}
