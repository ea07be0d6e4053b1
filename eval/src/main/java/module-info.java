/**
 * Accuracy measurement for qwen-asr: transcribes a data set of audio with reference transcripts
 * (LibriSpeech layout or a TSV list) once per load mode and reports word and character error rates
 * under the usual scoring normalisation (docs/modes.md 13). Uses the engine's exported API, and its
 * JSON string writer (a qualified export) for the details file.
 */
module io.github.qwenasr.eval {
    requires io.github.qwenasr;

    exports io.github.qwenasr.eval;
}
