package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each bad request gets one clear error in OpenAI's shape with the right status, and the server stays up. */
class BadRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static AsrServer server;
    private static AsrServer keyed;
    private static AsrServer small;

    @BeforeAll
    static void start() {
        TestSupport.engine();
        server = TestSupport.start(TestSupport.settings());
        keyed = TestSupport.start(TestSupport.settings().withApiKey("s3cret-key"));
        small = TestSupport.start(TestSupport.settings().withUploadLimits(64 * 1024, 2));
    }

    @AfterAll
    static void stop() {
        for (AsrServer s : new AsrServer[]{server, keyed, small}) {
            if (s != null) s.close();
        }
    }

    /** Checks the status and error shape; returns the error object. */
    private static JsonNode error(HttpResponse<String> r, int status, String param, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertTrue(e != null && e.isObject(), r.body());
        assertFalse(e.get("message").asText().isBlank());
        assertFalse(e.get("message").asText().contains("\n"), "one line: " + e);
        assertTrue(e.has("type") && e.has("param") && e.has("code"), r.body());
        if (param != null) assertEquals(param, e.get("param").asText(), r.body());
        if (code != null) assertEquals(code, e.get("code").asText(), r.body());
        // Nothing about the machine: no paths, no exception names, no stack frames.
        String body = r.body();
        assertFalse(body.contains("/tmp") || body.contains("qwen-asr-server-") || body.contains("upload-"), body);
        assertFalse(body.contains("Exception") || body.contains("\\tat ") || body.contains(".java"), body);
        return e;
    }

    private static int port() {
        return server.port();
    }

    @Test
    void missingFile() throws Exception {
        var body = new TestSupport.Multipart().field("model", TestSupport.engine().modelId());
        error(TestSupport.post(port(), body), 400, "file", null);
    }

    @Test
    void emptyFile() throws Exception {
        var body = new TestSupport.Multipart().file("file", "empty.wav", new byte[0])
                .field("model", TestSupport.engine().modelId());
        error(TestSupport.post(port(), body), 400, "file", "empty_file");
    }

    @Test
    void nonAudioBytes() throws Exception {
        byte[] text = "this is a text file, not a recording of anything at all\n".repeat(40)
                .getBytes(StandardCharsets.UTF_8);
        var body = new TestSupport.Multipart().file("file", "notes.wav", text).field("model", TestSupport.engine().modelId());
        JsonNode e = error(TestSupport.post(port(), body), 400, "file", "invalid_audio");
        assertTrue(e.get("message").asText().contains("WAV"), e.toString());
    }

    @Test
    void mp3IsNamedWithAConversionHint() throws Exception {
        byte[] mp3 = new byte[4096];
        mp3[0] = 'I';
        mp3[1] = 'D';
        mp3[2] = '3';
        var body = new TestSupport.Multipart().file("file", "song.mp3", mp3).field("model", TestSupport.engine().modelId());
        JsonNode e = error(TestSupport.post(port(), body), 400, "file", "invalid_audio");
        assertTrue(e.get("message").asText().contains("MP3") && e.get("message").asText().contains("ffmpeg"), e.toString());
    }

    @Test
    void wrongContentType() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + Routes.TRANSCRIPTIONS))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\": \"speech.wav\", \"model\": \"whisper-1\"}")).build();
        error(TestSupport.send(r), 400, null, "invalid_content_type");
    }

    @Test
    void hugeTextField() throws Exception {
        var body = TestSupport.upload(TestSupport.speech(), "prompt", "x".repeat(300_000));
        error(TestSupport.post(port(), body), 413, "prompt", "field_too_large");
        var many = TestSupport.upload(TestSupport.speech());
        for (int i = 0; i < 12; i++) many.field("extra" + i, "y".repeat(60_000));
        error(TestSupport.post(port(), many), 413, null, "field_too_large");
    }

    @Test
    void unknownResponseFormat() throws Exception {
        var body = TestSupport.upload(TestSupport.speech(), "response_format", "mp4");
        error(TestSupport.post(port(), body), 400, "response_format", null);
    }

    @Test
    void badLanguage() throws Exception {
        var body = TestSupport.upload(TestSupport.speech(), "language", "klingon");
        JsonNode e = error(TestSupport.post(port(), body), 400, "language", "unsupported_language");
        assertTrue(e.get("message").asText().contains("English"), e.toString());
    }

    @Test
    void temperatureOutOfRange() throws Exception {
        var body = TestSupport.upload(TestSupport.speech(), "temperature", "7");
        error(TestSupport.post(port(), body), 400, "temperature", null);
    }

    @Test
    void wordTimestampsNeedVerboseJson() throws Exception {
        var body = TestSupport.upload(TestSupport.speech(), "timestamp_granularities[]", "word");
        error(TestSupport.post(port(), body), 400, "timestamp_granularities", null);
    }

    @Test
    void missingAndUnknownModel() throws Exception {
        var none = new TestSupport.Multipart().file(TestSupport.speech());
        error(TestSupport.post(port(), none), 400, "model", null);
        var other = new TestSupport.Multipart().file(TestSupport.speech()).field("model", "gpt-4o-transcribe");
        error(TestSupport.post(port(), other), 404, "model", "model_not_found");
        error(TestSupport.get(port(), Routes.MODELS + "/gpt-4o-transcribe"), 404, "model", "model_not_found");
    }

    @Test
    void wrongOrMissingKey() throws Exception {
        int p = keyed.port();
        var body = TestSupport.upload(TestSupport.speech());
        error(TestSupport.post(p, body), 401, null, "invalid_api_key");
        error(TestSupport.post(p, body, "Authorization", "Bearer wrong-key"), 401, null, "invalid_api_key");
        error(TestSupport.post(p, body, "Authorization", "Bearer s3cret-ke"), 401, null, "invalid_api_key");
        error(TestSupport.get(p, Routes.MODELS), 401, null, "invalid_api_key");
        error(TestSupport.get(p, Routes.METRICS), 401, null, "invalid_api_key");
        assertEquals(200, TestSupport.post(p, body, "Authorization", "Bearer s3cret-key").statusCode());
        assertEquals(200, TestSupport.get(p, Routes.MODELS, "Authorization", "bearer s3cret-key").statusCode());
        assertEquals(200, TestSupport.get(p, Routes.HEALTH).statusCode(), "health needs no key");
    }

    @Test
    void uploadOverTheSizeLimit() throws Exception {
        // 64 KiB limit; jfk.wav is about 350 KB.
        var body = TestSupport.upload(TestSupport.clip("jfk.wav"));
        error(TestSupport.post(small.port(), body), 413, "file", "file_too_large");
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + small.port() + Routes.TRANSCRIPTIONS))
                .header("Content-Type", body.contentType()).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.bytes())))
                .build();
        error(TestSupport.send(chunked), 413, "file", "file_too_large");
    }

    @Test
    void audioOverTheLengthLimit() throws Exception {
        // 2 s limit; the clip is 3.6 s and small enough for the byte limit.
        var body = TestSupport.upload(TestSupport.speech());
        assertTrue(Files.size(TestSupport.speech()) < 64 * 1024 * 2);
        var small2 = TestSupport.start(TestSupport.settings().withUploadLimits(1 << 20, 2));
        try {
            JsonNode e = error(TestSupport.post(small2.port(), body), 413, "file", "audio_too_long");
            assertTrue(e.get("message").asText().contains("3.6 s"), e.toString());
        } finally {
            small2.close();
        }
    }

    @Test
    void wordsWithoutTheAligner() throws Exception {
        Engine plain = Engine.load(Path.of("target", "synthetic-models", "tiny-7"), null, 1);
        AsrServer s = AsrServer.start(plain, TestSupport.settings());
        try {
            var words = TestSupport.upload(TestSupport.speech(), "response_format", "verbose_json",
                    "timestamp_granularities[]", "word");
            JsonNode e = error(TestSupport.post(s.port(), words), 400, "timestamp_granularities", null);
            assertTrue(e.get("message").asText().contains("--aligner"), e.toString());
            // Subtitles still come, as one cue over the whole clip.
            HttpResponse<String> srt = TestSupport.post(s.port(), TestSupport.upload(TestSupport.speech(),
                    "response_format", "srt"));
            assertEquals(200, srt.statusCode(), srt.body());
            assertTrue(srt.body().startsWith("1\n00:00:00,000 --> 00:00:03,642\n"), srt.body());
            assertEquals(1, srt.body().strip().split("\n\n").length, srt.body());
        } finally {
            s.close();
            plain.close();
        }
    }

    @Test
    void unknownPathAndMethod() throws Exception {
        error(TestSupport.get(port(), "/v1/audio/translations"), 404, null, "not_found");
        error(TestSupport.get(port(), Routes.TRANSCRIPTIONS), 405, null, "method_not_allowed");
    }

    @Test
    void theServerStaysUpAndStillTranscribes() throws Exception {
        missingFile();
        nonAudioBytes();
        wrongContentType();
        hugeTextField();
        HttpResponse<String> ok = TestSupport.post(port(), TestSupport.upload(TestSupport.speech()));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(TestSupport.direct(TestSupport.speech(), Engine.Timing.NONE).text(),
                JSON.readTree(ok.body()).get("text").asText());
        assertEquals(200, TestSupport.get(port(), Routes.HEALTH).statusCode());
    }
}
