package io.github.qwenasr.cli;

/**
 * Process exit statuses of {@code qwen-asr} (docs/modes.md 1.6, with usage errors and internal errors
 * given their own codes so scripts can tell "fix your command line" from "the run failed").
 */
final class ExitCodes {
    /** Transcribed (an empty transcript included), or help/version printed. */
    static final int OK = 0;
    /** The run failed: model, audio or transcription. */
    static final int FAILURE = 1;
    /** The command line is wrong: unknown flag, missing or bad value, conflicting inputs. */
    static final int USAGE = 2;
    /** A bug: an exception the engine did not expect. */
    static final int INTERNAL = 3;

    private ExitCodes() {
    }
}
