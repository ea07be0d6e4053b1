package io.github.qwenasr.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.qwenasr.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void documentRoundTripsThroughAJsonReader() {
        String text = "He said \"hi\" \\ then\nleft 😀 \u0001\u001f\t\u2028 café 你好";
        List<TimedItem> items = List.of(new TimedItem("He", 0, 0.24), new TimedItem("😀", 1.5, 2.0),
                new TimedItem("q\"\\\n", 12.345, 67.891));
        Locale saved = Locale.getDefault();
        String json;
        try {
            Locale.setDefault(Locale.GERMANY); // decimal comma locale: the output must not follow it
            json = JsonWriter.render(new TranscriptDocument("English", text, items));
        } finally {
            Locale.setDefault(saved);
        }
        Map<String, Object> obj = Json.parseObject(json);
        assertEquals(List.of("language", "text", "items"), List.copyOf(obj.keySet()));
        assertEquals("English", obj.get("language"));
        assertEquals(text, obj.get("text"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> back = (List<Map<String, Object>>) obj.get("items");
        assertEquals(items.size(), back.size());
        for (int i = 0; i < items.size(); i++) {
            assertEquals(List.of("text", "start", "end"), List.copyOf(back.get(i).keySet()));
            assertEquals(items.get(i).text(), back.get(i).get("text"));
            assertEquals(items.get(i).start(), Json.getDouble(back.get(i), "start", -1), 1e-9);
            assertEquals(items.get(i).end(), Json.getDouble(back.get(i), "end", -1), 1e-9);
        }
        assertTrue(json.contains("\"start\": 0.000, \"end\": 0.240"), json);
        assertTrue(json.contains("\"start\": 12.345, \"end\": 67.891"), json);
        assertTrue(json.contains("😀"), "emoji written as is");
        for (char c : json.toCharArray()) assertFalse(c < 0x20 && c != '\n', "raw control character in output");
        assertFalse(json.contains("\u2028"));
    }

    @Test
    void timesAlwaysHaveThreeDecimals() {
        List<TimedItem> items = List.of(new TimedItem("a", 1, 2.5), new TimedItem("b", 2.0004, 3.9996));
        String json = JsonWriter.render(new TranscriptDocument("English", "a b", items));
        assertTrue(json.contains("\"start\": 1.000, \"end\": 2.500"), json);
        assertTrue(json.contains("\"start\": 2.000, \"end\": 4.000"), json);
    }

    @Test
    void emptyItemsAndUnpairedSurrogates() {
        String odd = "x\ud800y";
        String json = JsonWriter.render(new TranscriptDocument(null, odd, null));
        assertTrue(json.contains("\\ud800"), json);
        Map<String, Object> obj = Json.parseObject(json);
        assertEquals("", obj.get("language"));
        assertEquals(odd, obj.get("text"));
        assertEquals(List.of(), obj.get("items"));
    }

    @Test
    void anInputLineIsOneLineOfJsonWithItsPathAndNullsWhereThereIsNothing() {
        TranscriptDocument.Decoding d = new TranscriptDocument.Decoding(io.github.qwenasr.FinishReason.LENGTH, true, 12.5,
                40, 30, 28, List.of());
        String ok = OutputFormat.jsonInputLine("a dir/b \"c\".wav", new TranscriptDocument("English", "Hi\nthere", List.of(), d),
                "out/b.txt");
        assertTrue(ok.endsWith("}\n") && ok.indexOf('\n') == ok.length() - 1, ok);
        Map<String, Object> obj = Json.parseObject(ok);
        assertEquals(List.of("path", "language", "text", "finish_reason", "truncated", "audio_seconds", "output", "error"),
                List.copyOf(obj.keySet()));
        assertEquals("a dir/b \"c\".wav", obj.get("path"));
        assertEquals("Hi\nthere", obj.get("text"));
        assertEquals("length", obj.get("finish_reason"));
        assertEquals(true, obj.get("truncated"));
        assertEquals(12.5, Json.getDouble(obj, "audio_seconds", -1), 1e-9);
        assertEquals("out/b.txt", obj.get("output"));
        assertTrue(obj.containsKey("error") && obj.get("error") == null, ok);

        String bad = OutputFormat.jsonInputErrorLine("x.wav", "x.wav: not audio (text)");
        assertEquals(1, bad.lines().count());
        Map<String, Object> err = Json.parseObject(bad);
        assertEquals("x.wav: not audio (text)", err.get("error"));
        for (String key : List.of("language", "text", "finish_reason", "truncated", "audio_seconds", "output")) {
            assertTrue(err.containsKey(key) && err.get(key) == null, key + " in " + bad);
        }
    }
}
