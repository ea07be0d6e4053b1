package io.github.qwenasr.format;

import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.Transcription;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The transcript output formats, each with its file extension and writer. */
public enum OutputFormat {
    TXT("txt"),
    JSON("json"),
    SRT("srt"),
    VTT("vtt");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** The format named {@code name} (case-insensitive, surrounding spaces ignored). */
    public static OutputFormat parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (OutputFormat f : values()) {
            if (f.extension.equals(key)) return f;
        }
        String choices = Arrays.stream(values()).map(OutputFormat::extension).collect(Collectors.joining(", "));
        throw new QwenAsrException("unknown output format '" + (name == null ? "" : name.strip())
                + "'; choose one of: " + choices);
    }

    /**
     * The document in this format.
     *
     * @param audioSeconds the audio duration, used by the subtitle formats when there are no timed items
     */
    public String render(TranscriptDocument doc, double audioSeconds) {
        return switch (this) {
            case TXT -> TxtWriter.render(doc);
            case JSON -> JsonWriter.render(doc);
            case SRT -> SrtWriter.render(doc, audioSeconds);
            case VTT -> VttWriter.render(doc, audioSeconds);
        };
    }

    /**
     * One decoded part as a line of JSON with the keys of a json document's segments, {@code {"start",
     * "end", "language", "finish_reason", "tokens", "text"}}, and a newline: live modes write one per
     * part as it is transcribed (JSON lines, docs/modes.md 7.7).
     */
    public static String jsonLine(Transcription.Segment segment) {
        return JsonWriter.segmentLine(segment);
    }

    /**
     * The result of one input of a run over many files as a line of JSON with a newline (JSON lines,
     * docs/modes.md 1.9): {@code {"path", "language", "text", "finish_reason", "truncated",
     * "audio_seconds", "output", "error": null}}.
     *
     * @param path   the input as the run names it
     * @param doc    its transcript (a decoded one: finish reason, truncation and duration)
     * @param output the file the transcript was written to, or null
     */
    public static String jsonInputLine(String path, TranscriptDocument doc, String output) {
        if (doc == null || doc.decoding() == null) throw new IllegalArgumentException("a decoded transcript is needed");
        return JsonWriter.inputLine(path, doc, output, null);
    }

    /** {@link #jsonInputLine} for an input that failed: its path and error, every other value null. */
    public static String jsonInputErrorLine(String path, String error) {
        return JsonWriter.inputLine(path, null, null, error == null ? "(no details)" : error);
    }
}
