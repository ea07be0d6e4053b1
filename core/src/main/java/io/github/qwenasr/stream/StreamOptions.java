package io.github.qwenasr.stream;

import io.github.qwenasr.QwenAsrException;

/**
 * Settings of a streaming session (docs/modes.md 6.1). Defaults are the C engine's: 2 s chunks,
 * 5 rollback tokens, 2 unfixed chunks, 32 new tokens per step, 8 s encoder windows of which 4
 * stay cached, the last 150 prefix tokens fed, conditioning on, re-anchoring every 45 chunks.
 *
 * @param chunkSeconds     audio per decoding step
 * @param rollbackTokens   tail of the hypothesis kept tentative and re-decoded on the next step
 * @param unfixedChunks    first steps that decode without a prefix and commit nothing
 * @param maxNewTokens     greedy steps per chunk
 * @param maxCachedWindows completed encoder windows kept as context (older ones are evicted)
 * @param maxPrefixTokens  most recent hypothesis tokens replayed as the prefix
 * @param pastText         condition each step on the previous hypothesis; false is allowed (C semantics)
 *                         but not recommended: each step then only transcribes the start of its
 *                         audio context and text arrives in bursts with gaps (docs/modes.md 6.12)
 * @param language         forced language name, or null to detect
 * @param context          system-prompt context text ("" for none)
 * @param reanchorChunks   periodic re-anchor interval in chunks (0: never)
 */
public record StreamOptions(double chunkSeconds, int rollbackTokens, int unfixedChunks, int maxNewTokens,
                            int maxCachedWindows, int maxPrefixTokens, boolean pastText, String language,
                            String context, int reanchorChunks) {
    public static final double DEFAULT_CHUNK_SECONDS = 2.0;

    public StreamOptions {
        if (!(chunkSeconds >= 0.1 && chunkSeconds <= 60)) {
            throw new QwenAsrException("stream chunk length must be between 0.1 and 60 seconds, got " + chunkSeconds);
        }
        if (rollbackTokens < 0) throw new QwenAsrException("rollback tokens must be >= 0, got " + rollbackTokens);
        if (unfixedChunks < 0) throw new QwenAsrException("unfixed chunks must be >= 0, got " + unfixedChunks);
        if (maxNewTokens < 1) throw new QwenAsrException("stream max new tokens must be >= 1, got " + maxNewTokens);
        if (maxCachedWindows < 1) throw new QwenAsrException("cached windows must be >= 1, got " + maxCachedWindows);
        if (maxPrefixTokens < 0) throw new QwenAsrException("max prefix tokens must be >= 0, got " + maxPrefixTokens);
        if (reanchorChunks < 0) throw new QwenAsrException("re-anchor interval must be >= 0, got " + reanchorChunks);
        if (context == null) context = "";
    }

    public static StreamOptions defaults() {
        return new StreamOptions(DEFAULT_CHUNK_SECONDS, 5, 2, 32, 4, 150, true, null, "", 45);
    }

    public StreamOptions withChunkSeconds(double s) {
        return new StreamOptions(s, rollbackTokens, unfixedChunks, maxNewTokens, maxCachedWindows, maxPrefixTokens,
                pastText, language, context, reanchorChunks);
    }

    public StreamOptions withMaxNewTokens(int n) {
        return new StreamOptions(chunkSeconds, rollbackTokens, unfixedChunks, n, maxCachedWindows, maxPrefixTokens,
                pastText, language, context, reanchorChunks);
    }

    public StreamOptions withPastText(boolean on) {
        return new StreamOptions(chunkSeconds, rollbackTokens, unfixedChunks, maxNewTokens, maxCachedWindows,
                maxPrefixTokens, on, language, context, reanchorChunks);
    }

    public StreamOptions withLanguage(String l) {
        return new StreamOptions(chunkSeconds, rollbackTokens, unfixedChunks, maxNewTokens, maxCachedWindows,
                maxPrefixTokens, pastText, l, context, reanchorChunks);
    }

    public StreamOptions withContext(String c) {
        return new StreamOptions(chunkSeconds, rollbackTokens, unfixedChunks, maxNewTokens, maxCachedWindows,
                maxPrefixTokens, pastText, language, c, reanchorChunks);
    }

    public StreamOptions withRollbackTokens(int n) {
        return new StreamOptions(chunkSeconds, n, unfixedChunks, maxNewTokens, maxCachedWindows, maxPrefixTokens,
                pastText, language, context, reanchorChunks);
    }

    public StreamOptions withUnfixedChunks(int n) {
        return new StreamOptions(chunkSeconds, rollbackTokens, n, maxNewTokens, maxCachedWindows, maxPrefixTokens,
                pastText, language, context, reanchorChunks);
    }

    public StreamOptions withMaxCachedWindows(int n) {
        return new StreamOptions(chunkSeconds, rollbackTokens, unfixedChunks, maxNewTokens, n, maxPrefixTokens,
                pastText, language, context, reanchorChunks);
    }

    public StreamOptions withReanchorChunks(int n) {
        return new StreamOptions(chunkSeconds, rollbackTokens, unfixedChunks, maxNewTokens, maxCachedWindows,
                maxPrefixTokens, pastText, language, context, n);
    }
}
