package io.github.qwenasr.eval;

/** Progress of an {@link Evaluation}, for a caller that shows it; every method does nothing by default. */
public interface EvalListener {
    /** The model is about to be loaded in {@code mode}. */
    default void loading(EvalMode mode) {
    }

    /** The model is loaded in {@code mode}. */
    default void loaded(EvalMode mode, double seconds) {
    }

    /** {@code done} of {@code total} utterances of the mode are finished, {@code result} the latest. */
    default void finished(UtteranceResult result, int done, int total) {
    }

    /** Every utterance of a mode is finished. */
    default void modeFinished(ModeReport report) {
    }
}
