package io.github.qwenasr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesWriterTest {
    @TempDir
    Path tmp;

    @Test
    void oneObjectPerLineWithEveryColumnAndCharactersAsUtf8() throws IOException {
        String text = "a \"quoted\" line\nand \uD835\uDD44 and 中文";
        List<ResultRow> rows = List.of(
                new ResultRow("/in/a.wav", "ab12", new Outcome("English", text, "stop", 1.5, null,
                        List.of(new Word("a", 0.0, 0.25), new Word("中", 0.5, 0.75)))),
                new ResultRow("/in/b.wav", null, Outcome.failed("cannot read audio file /in/b.wav: no such file")));
        Path file = tmp.resolve("part.jsonl");
        JsonLinesWriter.write(file, rows, true);
        String written = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = written.lines().toList();
        assertEquals(2, lines.size());
        assertTrue(written.endsWith("\n"));
        assertTrue(written.contains("\uD835\uDD44"), "the supplementary character is written as UTF-8: " + written);
        assertFalse(written.contains("\\uD835"), written);

        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(lines.get(0));
        assertEquals(List.of("path", "sha256", "language", "text", "finish_reason", "audio_seconds", "error", "words"),
                iterable(a.fieldNames()));
        assertEquals(text, a.get("text").asText());
        assertEquals(1.5, a.get("audio_seconds").asDouble());
        assertTrue(a.get("error").isNull());
        assertEquals("中", a.get("words").get(1).get("text").asText());
        assertEquals(0.75, a.get("words").get(1).get("end").asDouble());
        JsonNode b = json.readTree(lines.get(1));
        assertTrue(b.get("sha256").isNull());
        assertTrue(b.get("text").isNull());
        assertTrue(b.get("audio_seconds").isNull());
        assertTrue(b.get("words").isNull());
        assertEquals("cannot read audio file /in/b.wav: no such file", b.get("error").asText());

        JsonLinesWriter.write(file, rows, false);
        assertFalse(json.readTree(Files.readAllLines(file).get(0)).has("words"), "no words column without an aligner");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
