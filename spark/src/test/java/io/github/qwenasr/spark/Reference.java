package io.github.qwenasr.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.qwenasr.QwenAsr;
import io.github.qwenasr.QwenAsrException;
import io.github.qwenasr.TranscribeOptions;
import io.github.qwenasr.Transcription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a row must say, computed without this module: the engine's own API called on the file (as the
 * command line does for {@code qwen-asr -i FILE --max-new-tokens 8}), and the rows a run wrote, read
 * back with a JSON parser.
 */
final class Reference {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Reference() {
    }

    /** A row's transcription columns (path and hash aside). */
    record Cells(String language, String text, String finishReason, Double audioSeconds, String error) {
    }

    /** The engine's result for one file, straight from {@link QwenAsr#transcribe(Path, TranscribeOptions)}. */
    static Cells direct(QwenAsr asr, Path file, int maxNewTokens) {
        try {
            Transcription t = asr.transcribe(file, TranscribeOptions.defaults().withMaxNewTokens(maxNewTokens));
            String finish = t.finishReason().name().toLowerCase(java.util.Locale.ROOT);
            return new Cells(t.language(), t.text(), finish, t.stats().audioSeconds(), null);
        } catch (QwenAsrException e) {
            return new Cells(null, null, null, null, e.getMessage());
        }
    }

    /** Every row of the JSON-lines part files in {@code dir}, by path; fails on a path seen twice. */
    static Map<String, JsonNode> rows(Path dir) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Path part : parts(dir, "jsonl")) {
            try {
                for (String line : Files.readAllLines(part)) {
                    JsonNode n = JSON.readTree(line);
                    JsonNode was = out.put(n.get("path").asText(), n);
                    if (was != null) throw new AssertionError("two rows for " + n.get("path").asText());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static List<Path> parts(Path dir, String extension) {
        List<Path> out = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, "part-*." + extension)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    static Cells cells(JsonNode row) {
        return new Cells(text(row, "language"), text(row, "text"), text(row, "finish_reason"),
                row.get("audio_seconds").isNull() ? null : row.get("audio_seconds").asDouble(), text(row, "error"));
    }

    private static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        if (v == null) throw new AssertionError("row without the column " + field + ": " + row);
        return v.isNull() ? null : v.asText();
    }
}
