package io.github.qwenasr.spark;

import java.io.Serializable;

/**
 * What every transcription of a job asks for.
 *
 * @param language     a language name to force (any case), or null to detect
 * @param prompt       context text that biases recognition ("" for none)
 * @param maxNewTokens generation limit per decoded piece; 0 = the engine's automatic limit
 */
public record TranscribeRequest(String language, String prompt, int maxNewTokens) implements Serializable {
    public TranscribeRequest {
        if (language != null && language.isBlank()) language = null;
        if (prompt == null) prompt = "";
        if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be 0 (automatic) or more");
    }

    public static TranscribeRequest defaults() {
        return new TranscribeRequest(null, "", 0);
    }
}
