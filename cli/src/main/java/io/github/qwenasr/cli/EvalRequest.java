package io.github.qwenasr.cli;

import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.eval.EvalMode;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code eval} command line.
 *
 * @param model    the model directory
 * @param source   the data set
 * @param modes    the load modes, in report order, each available
 * @param limit    how many utterances at most, or null for all
 * @param options  how each utterance is transcribed
 * @param threads  worker threads
 * @param details  the JSON lines file, or null for none
 * @param silent   no progress on stderr
 * @param warnings what the command line asked for but did not get
 */
record EvalRequest(Path model, Source source, List<EvalMode> modes, Integer limit, TranscribeOptions options,
                   int threads, Path details, boolean silent, List<String> warnings) {
    EvalRequest {
        modes = List.copyOf(modes);
        warnings = List.copyOf(warnings);
    }

    enum Layout { LIBRISPEECH, TSV }

    /** Where the data set is and how it is laid out. */
    record Source(Layout layout, Path path) {
    }
}
