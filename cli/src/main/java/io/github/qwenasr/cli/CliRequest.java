package io.github.qwenasr.cli;

import io.github.qwenasr.TranscribeOptions;
import java.nio.file.Path;

/**
 * A validated command line: everything the run needs, nothing left to check except what only the
 * files themselves can tell.
 *
 * @param modelDir  the -d directory, or null for the default model in the cache
 * @param inputFile the -i file, or null when reading stdin
 * @param threads   worker threads for the model (1..{@value QwenAsrCommand#MAX_THREADS})
 * @param options   transcription options (language, prompt, token limit, encoder attention,
 *                  segmentation, past text, silence skipping)
 * @param verbosity stderr level
 * @param profile   whether to print the per-stage report
 */
record CliRequest(Path modelDir, Path inputFile, int threads, TranscribeOptions options, Verbosity verbosity,
                  boolean profile) {
    boolean readsStdin() {
        return inputFile == null;
    }
}
