package io.github.qwenasr.format;

import java.util.List;

/**
 * What the output writers render: the language (docs/model.md 5.6; "" when unknown), the transcript text
 * and its timed items (docs/model.md 7.6), which may be empty when no timestamps were asked for.
 * Null arguments become "" or an empty list.
 */
public record TranscriptDocument(String language, String text, List<TimedItem> items) {
    public TranscriptDocument {
        language = language == null ? "" : language;
        text = text == null ? "" : text;
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** A document without timed items. */
    public TranscriptDocument(String language, String text) {
        this(language, text, List.of());
    }
}
