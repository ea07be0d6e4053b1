package io.github.qwenasr.eval;

import io.github.qwenasr.format.AtomicFileWriter;
import io.github.qwenasr.json.Json;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The per-utterance rows of an evaluation as JSON lines (docs/modes.md 13.4): one object a line for
 * every utterance in every mode, written all at once or not at all ({@link AtomicFileWriter}), so a
 * run that stops early never leaves a file that looks complete.
 *
 * <p>Keys, in this order: {@code mode, id, audio, reference, hypothesis, language,
 * normalized_reference, normalized_hypothesis, words {reference, substitutions, deletions, insertions},
 * characters {...}, wer, cer} (null when the reference is empty){@code , audio_seconds, seconds, error}
 * (null unless the transcription failed).
 */
public final class DetailsWriter {
    private DetailsWriter() {
    }

    /** Writes every utterance of {@code result} to {@code target}, replacing it only once complete. */
    public static void write(Path target, EvalResult result) {
        AtomicFileWriter.write(target, out -> {
            for (UtteranceResult r : result.utterances()) out.write(line(r));
        });
    }

    /** One utterance as a JSON object and a newline. */
    static String line(UtteranceResult r) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"mode\": ");
        quote(b, r.mode().label());
        b.append(", \"id\": ");
        quote(b, r.item().id());
        b.append(", \"audio\": ");
        quote(b, r.item().audio().toString());
        b.append(", \"reference\": ");
        quote(b, r.item().reference());
        b.append(", \"hypothesis\": ");
        quote(b, r.hypothesis());
        b.append(", \"language\": ");
        quote(b, r.language());
        b.append(", \"normalized_reference\": ");
        quote(b, r.score().reference());
        b.append(", \"normalized_hypothesis\": ");
        quote(b, r.score().hypothesis());
        b.append(", \"words\": ");
        counts(b, r.score().words());
        b.append(", \"characters\": ");
        counts(b, r.score().characters());
        b.append(", \"wer\": ").append(rate(r.score().words().rate()));
        b.append(", \"cer\": ").append(rate(r.score().characters().rate()));
        b.append(", \"audio_seconds\": ").append(String.format(Locale.ROOT, "%.3f", r.audioSeconds()));
        b.append(", \"seconds\": ").append(String.format(Locale.ROOT, "%.3f", r.seconds()));
        b.append(", \"error\": ");
        if (r.error().isPresent()) {
            quote(b, r.error().get());
        } else {
            b.append("null");
        }
        return b.append("}\n").toString();
    }

    private static void counts(StringBuilder b, EditCounts c) {
        b.append("{\"reference\": ").append(c.reference())
                .append(", \"substitutions\": ").append(c.substitutions())
                .append(", \"deletions\": ").append(c.deletions())
                .append(", \"insertions\": ").append(c.insertions()).append('}');
    }

    private static String rate(double rate) {
        return Double.isNaN(rate) ? "null" : String.format(Locale.ROOT, "%.6f", rate);
    }

    /** {@code s} as a JSON string, by the engine's one JSON string writer. */
    static void quote(StringBuilder b, String s) {
        Json.quote(b, s);
    }
}
