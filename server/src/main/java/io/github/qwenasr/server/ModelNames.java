package io.github.qwenasr.server;

import java.util.List;

/**
 * The names under which the loaded model answers: its id (the model directory's name, e.g.
 * Qwen3-ASR-0.6B), matched in any case, and "whisper-1", the name most OpenAI clients send by default.
 */
public record ModelNames(String id) {
    public static final String WHISPER_ALIAS = "whisper-1";

    public boolean serves(String name) {
        return name.equalsIgnoreCase(id) || name.equals(WHISPER_ALIAS);
    }

    /** The names GET /v1/models lists. */
    public List<String> listed() {
        return List.of(id, WHISPER_ALIAS);
    }
}
