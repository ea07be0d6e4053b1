package io.github.qwenasr.format;

import io.github.qwenasr.Transcription;
import io.github.qwenasr.json.Json;
import java.util.List;
import java.util.Locale;

/**
 * JSON output: {@code {"language", "text", "items": [{"text", "start", "end"}]}} in that fixed key
 * order, then, for a decoded transcript, {@code "finish_reason", "truncated", "audio_seconds",
 * "tokens": {"prompt", "generated", "text"}, "segments": [{"start", "end", "language",
 * "finish_reason", "tokens", "text"}]}. Times in seconds with exactly three decimals (the aligner's
 * millisecond precision, docs/model.md 7.6), one item or segment per line so that diffs stay readable.
 */
final class JsonWriter {
    private JsonWriter() {
    }

    public static String render(TranscriptDocument doc) {
        StringBuilder b = new StringBuilder(64 + doc.text().length() * 2 + doc.items().size() * 48);
        b.append("{\n  \"language\": ");
        Json.quote(b, doc.language());
        b.append(",\n  \"text\": ");
        Json.quote(b, doc.text());
        b.append(",\n  \"items\": [");
        List<TimedItem> items = doc.items();
        for (int i = 0; i < items.size(); i++) {
            TimedItem item = items.get(i);
            b.append(i == 0 ? "\n    " : ",\n    ").append("{\"text\": ");
            Json.quote(b, item.text());
            b.append(", \"start\": ").append(seconds(item.start()));
            b.append(", \"end\": ").append(seconds(item.end())).append('}');
        }
        b.append(items.isEmpty() ? "]" : "\n  ]");
        if (doc.decoding() != null) appendDecoding(b, doc.decoding());
        b.append("\n}\n");
        return b.toString();
    }

    private static void appendDecoding(StringBuilder b, TranscriptDocument.Decoding d) {
        b.append(",\n  \"finish_reason\": ");
        Json.quote(b, d.finishReason().label());
        b.append(",\n  \"truncated\": ").append(d.truncated());
        b.append(",\n  \"audio_seconds\": ").append(seconds(d.audioSeconds()));
        b.append(",\n  \"tokens\": ");
        appendTokens(b, d.promptTokens(), d.generatedTokens(), d.textTokens());
        b.append(",\n  \"segments\": [");
        List<Transcription.Segment> segments = d.segments();
        for (int i = 0; i < segments.size(); i++) {
            b.append(i == 0 ? "\n    " : ",\n    ");
            appendSegment(b, segments.get(i));
        }
        b.append(segments.isEmpty() ? "]" : "\n  ]");
    }

    /**
     * One decoded part as a JSON object on one line, with the keys of the document's "segments":
     * {@code {"start", "end", "language", "finish_reason", "tokens", "text"}} (live modes write one per
     * part as JSON lines, docs/modes.md 7.7).
     */
    static String segmentLine(Transcription.Segment s) {
        StringBuilder b = new StringBuilder(128 + 2 * s.text().length());
        appendSegment(b, s);
        return b.append('\n').toString();
    }

    /**
     * One input of a run over many files as a JSON object on one line (JSON lines): {@code {"path",
     * "language", "text", "finish_reason", "truncated", "audio_seconds", "output", "error"}}. A
     * transcribed input has a null error (and a null output unless its file was written); a failed
     * one has only its path and error, the other values null.
     */
    static String inputLine(String path, TranscriptDocument doc, String output, String error) {
        StringBuilder b = new StringBuilder(160 + (doc == null ? 0 : 2 * doc.text().length()));
        b.append("{\"path\": ");
        Json.quote(b, path);
        TranscriptDocument.Decoding d = doc == null ? null : doc.decoding();
        b.append(", \"language\": ");
        nullableString(b, doc == null ? null : doc.language());
        b.append(", \"text\": ");
        nullableString(b, doc == null ? null : doc.text());
        b.append(", \"finish_reason\": ");
        nullableString(b, d == null ? null : d.finishReason().label());
        b.append(", \"truncated\": ").append(d == null ? "null" : String.valueOf(d.truncated()));
        b.append(", \"audio_seconds\": ").append(d == null ? "null" : seconds(d.audioSeconds()));
        b.append(", \"output\": ");
        nullableString(b, output);
        b.append(", \"error\": ");
        nullableString(b, error);
        return b.append("}\n").toString();
    }

    private static void nullableString(StringBuilder b, String s) {
        if (s == null) b.append("null");
        else Json.quote(b, s);
    }

    private static void appendSegment(StringBuilder b, Transcription.Segment s) {
        b.append("{\"start\": ").append(seconds(s.startSeconds()));
        b.append(", \"end\": ").append(seconds(s.endSeconds()));
        b.append(", \"language\": ");
        Json.quote(b, s.language());
        b.append(", \"finish_reason\": ");
        Json.quote(b, s.finishReason().label());
        b.append(", \"tokens\": ");
        appendTokens(b, s.promptTokens(), s.generatedTokens(), s.textTokens());
        b.append(", \"text\": ");
        Json.quote(b, s.text());
        b.append('}');
    }

    private static void appendTokens(StringBuilder b, long prompt, long generated, long text) {
        b.append("{\"prompt\": ").append(prompt).append(", \"generated\": ").append(generated)
                .append(", \"text\": ").append(text).append('}');
    }

    /** Seconds with exactly three decimals; Locale.ROOT so a comma never becomes the separator. */
    static String seconds(double s) {
        String out = String.format(Locale.ROOT, "%.3f", s);
        return out.equals("-0.000") ? "0.000" : out;
    }
}
