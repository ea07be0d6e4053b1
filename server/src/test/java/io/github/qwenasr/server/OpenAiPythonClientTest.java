package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Python client ({@code openai} from PyPI) against the server on loopback:
 * {@code client.audio.transcriptions.create} in every response format, with an API key, and its
 * typed error for an unknown model.
 */
class OpenAiPythonClientTest {
    private static final String KEY = "sk-test-python-client";
    private static final Pattern SRT_CUE = Pattern.compile(
            "\\d+\\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}\\n.+");
    private static AsrServer server;

    @BeforeAll
    static void start() {
        server = TestSupport.start(TestSupport.settings().withApiKey(KEY));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void everyResponseFormat() throws Exception {
        Path python = PythonClient.python();
        Path wav = TestSupport.speech();
        Path script = Path.of("src", "test", "python", "openai_transcribe.py");
        PythonClient.Result r = PythonClient.run(List.of(python.toString(), script.toString(),
                "http://127.0.0.1:" + server.port() + "/v1", KEY, TestSupport.engine().modelId(),
                wav.toAbsolutePath().toString()), 180);
        assertEquals(0, r.exit(), r.output() + r.errors());
        JsonNode out = new ObjectMapper().readTree(r.output());

        Engine.Result plain = TestSupport.direct(wav, Engine.Timing.NONE);
        Engine.Result timed = TestSupport.direct(wav, Engine.Timing.REQUIRED);
        assertFalse(plain.text().isBlank());
        assertFalse(timed.words().isEmpty());

        assertEquals(plain.text(), out.get("json").get("text").asText());
        assertEquals("length", out.get("json").get("finish_reason").asText(), "24 tokens cut the tiny model short");
        assertEquals(plain.text(), out.get("text").asText().strip());

        String srt = out.get("srt").asText();
        assertEquals(TestSupport.engine().srt(timed).strip(), srt.strip());
        for (String cue : srt.strip().split("\\n\\n")) assertTrue(SRT_CUE.matcher(cue).find(), cue);
        String vtt = out.get("vtt").asText();
        assertTrue(vtt.startsWith("WEBVTT"), vtt);
        assertEquals(TestSupport.engine().vtt(timed).strip(), vtt.strip());

        JsonNode verbose = out.get("verbose_json");
        double duration = TestSupport.seconds16k(wav);
        assertEquals(duration, verbose.get("duration").asDouble(), 1e-3);
        assertEquals(timed.text(), verbose.get("text").asText());
        JsonNode words = verbose.get("words");
        assertEquals(timed.words().size(), words.size());
        for (int i = 0; i < words.size(); i++) {
            JsonNode w = words.get(i);
            assertEquals(timed.words().get(i).text(), w.get("word").asText());
            assertEquals(timed.words().get(i).start(), w.get("start").asDouble(), 1e-3);
            double start = w.get("start").asDouble();
            double end = w.get("end").asDouble();
            assertTrue(0 <= start && start <= end && end <= duration + 1e-3, w.toString());
        }
        JsonNode segments = verbose.get("segments");
        assertFalse(segments.isEmpty());
        for (JsonNode s : segments) {
            assertTrue(s.get("start").asDouble() <= s.get("end").asDouble() + 1e-9, s.toString());
            assertFalse(s.get("text").asText().isBlank());
        }

        JsonNode error = out.get("error");
        assertEquals(404, error.get("status").asInt());
        assertEquals("model_not_found", error.get("code").asText());
    }
}
