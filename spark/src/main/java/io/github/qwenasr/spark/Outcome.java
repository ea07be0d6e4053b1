package io.github.qwenasr.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What one input became: a transcript, or the reason it has none.
 *
 * @param language     the language the model reported (forced or detected; "" when unknown); null on error
 * @param text         the transcript; null when the input could not be transcribed
 * @param finishReason why decoding stopped: "stop" (end token) or "length" (token limit: the text may be cut
 *                     short); null on error
 * @param audioSeconds length of the recording; null when it could not be read
 * @param error        one line saying why the input has no transcript (or, with a transcript, why it has no word
 *                     times); null when all went well
 * @param words        timed words when an aligner was set and could time this language; otherwise null
 */
public record Outcome(String language, String text, String finishReason, Double audioSeconds, String error,
                      List<Word> words) implements Serializable {
    public Outcome {
        words = words == null ? null : List.copyOf(words);
    }

    /** An input that could not be transcribed. */
    public static Outcome failed(String error) {
        return new Outcome(null, null, null, null, error, null);
    }

    public boolean ok() {
        return error == null;
    }
}
