package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;
import com.openai.models.audio.transcriptions.TranscriptionWord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java client (com.openai:openai-java) against the server on loopback. */
class OpenAiJavaClientTest {
    private static final String KEY = "sk-test-java-client";
    private static AsrServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = TestSupport.start(TestSupport.settings().withApiKey(KEY));
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey(KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(120)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private static TranscriptionCreateParams.Builder params(Path wav) {
        return TranscriptionCreateParams.builder().file(wav).model(TestSupport.engine().modelId());
    }

    @Test
    void json() {
        Path wav = TestSupport.speech();
        var response = client.audio().transcriptions().create(params(wav).responseFormat(AudioResponseFormat.JSON)
                .language("en").prompt("names: Qwen").temperature(0.0).build());
        assertTrue(response.isTranscription());
        Engine.Result expected;
        try (Engine.Audio a = TestSupport.engine().open(wav, "file")) {
            expected = TestSupport.engine().transcribe(a, new Engine.Request("English", "names: Qwen", Engine.Timing.NONE,
                    TestSupport.MAX_NEW_TOKENS), () -> false);
        }
        assertEquals(expected.text(), response.asTranscription().text());
        assertEquals("length", response.asTranscription()._additionalProperties().get("finish_reason").asString()
                .orElseThrow());
    }

    @Test
    void verboseJsonWithWords() {
        Path wav = TestSupport.speech();
        var response = client.audio().transcriptions().create(params(wav)
                .responseFormat(AudioResponseFormat.VERBOSE_JSON)
                .addTimestampGranularity(TranscriptionCreateParams.TimestampGranularity.WORD)
                .addTimestampGranularity(TranscriptionCreateParams.TimestampGranularity.SEGMENT).build());
        assertTrue(response.isVerbose());
        TranscriptionVerbose v = response.asVerbose().validate();
        Engine.Result expected = TestSupport.direct(wav, Engine.Timing.REQUIRED);
        assertEquals(expected.text(), v.text());
        assertEquals(TestSupport.seconds16k(wav), v.duration(), 1e-3);
        List<TranscriptionWord> words = v.words().orElseThrow();
        assertEquals(expected.words().size(), words.size());
        for (int i = 0; i < words.size(); i++) {
            assertEquals(expected.words().get(i).text(), words.get(i).word());
            assertEquals(expected.words().get(i).end(), words.get(i).end(), 1e-3);
        }
        assertFalse(v.segments().orElseThrow().isEmpty());
        v.segments().orElseThrow().forEach(s -> assertTrue(s.start() <= s.end()));
    }

    @Test
    void errorsAreTypedBySdk() {
        Path wav = TestSupport.speech();
        NotFoundException nf = assertThrows(NotFoundException.class, () -> client.audio().transcriptions().create(
                TranscriptionCreateParams.builder().file(wav).model("no-such-model").build()));
        assertEquals("model_not_found", nf.code().orElseThrow());
        BadRequestException bad = assertThrows(BadRequestException.class, () -> client.audio().transcriptions()
                .create(params(wav).language("xx-not-a-language").build()));
        assertEquals("language", bad.param().orElseThrow());
        OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .apiKey("sk-wrong").maxRetries(0).build();
        try {
            assertThrows(UnauthorizedException.class, () -> wrong.audio().transcriptions().create(params(wav).build()));
        } finally {
            wrong.close();
        }
    }
}
