package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The queue limit, the per-request time limit and the graceful shutdown, over HTTP. */
class LimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough tokens that a request is still decoding while the test looks at it. */
    private static final int SLOW_TOKENS = 300;

    private static CompletableFuture<HttpResponse<String>> postAsync(int port) {
        return CompletableFuture.supplyAsync(() -> TestSupport.post(port, TestSupport.upload(TestSupport.speech())));
    }

    /** Waits until the server decodes this many uploads or streaming steps. */
    private static void awaitMetric(int port, String sample) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            if (TestSupport.get(port, Routes.METRICS).body().lines().anyMatch(sample::equals)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("the server's metrics never showed " + sample);
    }

    private static void awaitDecoding(int port, int n) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            for (String line : TestSupport.get(port, Routes.METRICS).body().lines().toList()) {
                if (line.equals("qwenasr_sequences_in_flight " + n)) return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the server never had " + n + " sequence(s) decoding");
    }

    @Test
    void fullQueueIsRefusedWith429() throws Exception {
        AsrServer s = TestSupport.start(TestSupport.settings().withQueue(1, 0, 120).withMaxNewTokens(SLOW_TOKENS));
        try {
            var first = postAsync(s.port());
            awaitDecoding(s.port(), 1);
            HttpResponse<String> refused = TestSupport.post(s.port(), TestSupport.upload(TestSupport.speech()));
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("queue_full", JSON.readTree(refused.body()).get("error").get("code").asText());
            assertEquals("2", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(200, first.get().statusCode());
            assertEquals(200, TestSupport.post(s.port(), TestSupport.upload(TestSupport.speech())).statusCode());
            assertTrue(TestSupport.get(s.port(), Routes.METRICS).body().contains(
                    "qwenasr_http_requests_total{route=\"/v1/audio/transcriptions\",status=\"429\"} 1"));
        } finally {
            s.close();
        }
    }

    @Test
    void requestOverTheTimeLimitGets504() throws Exception {
        AsrServer s = TestSupport.start(TestSupport.settings().withQueue(1, 4, 1).withMaxNewTokens(20_000));
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = TestSupport.post(s.port(), TestSupport.upload(TestSupport.speech()));
            double took = (System.nanoTime() - t0) / 1e9;
            assertEquals(504, r.statusCode(), r.body());
            assertEquals("timeout", JSON.readTree(r.body()).get("error").get("code").asText());
            assertTrue(took < 30, "stopped near the limit, not after 20000 tokens: " + took + " s");
            assertEquals(200, TestSupport.get(s.port(), Routes.HEALTH).statusCode());
        } finally {
            s.close();
        }
    }

    @Test
    void shutdownFinishesWhatIsInFlight() throws Exception {
        AsrServer s = TestSupport.start(TestSupport.settings().withQueue(1, 4, 120).withMaxNewTokens(SLOW_TOKENS)
                .withStreams(2, 600, 1.0).withShutdownGrace(120));
        int port = s.port();
        var upload = CompletableFuture.supplyAsync(() -> TestSupport.post(port, TestSupport.upload(TestSupport.clip("jfk.wav"))));
        WsClient stream = WsClient.connect(port);
        stream.config("s16le", 16000);
        assertEquals("ready", stream.next(30).get("type").asText());
        stream.stream(TestSupport.wavData(TestSupport.speech()), 3200, 0);
        // The upload itself must be admitted before the drain starts (a streaming step alone also
        // counts as a sequence in flight; an upload still being received when the server stops
        // gets its connection closed, which a clean CI run once hit).
        awaitMetric(port, "qwenasr_requests_in_flight 1");
        awaitDecoding(port, 1);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        // While draining: new work is refused, health says so.
        long end = System.nanoTime() + 30_000_000_000L;
        HttpResponse<String> health;
        do {
            health = TestSupport.get(port, Routes.HEALTH);
        } while (health.statusCode() != 503 && System.nanoTime() < end);
        assertEquals("draining", JSON.readTree(health.body()).get("status").asText());
        assertFalse(upload.isDone(), "the upload should still be decoding");
        HttpResponse<String> refused = TestSupport.post(port, TestSupport.upload(TestSupport.speech()));
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("shutting_down", JSON.readTree(refused.body()).get("error").get("code").asText());

        // The upload in flight completes with its whole transcript.
        HttpResponse<String> done = upload.get();
        assertEquals(200, done.statusCode(), done.body());
        JsonNode body = JSON.readTree(done.body());
        assertEquals(TestSupport.direct(TestSupport.clip("jfk.wav"), Engine.Timing.NONE, SLOW_TOKENS).text(),
                body.get("text").asText());
        // The stream is finished on the audio it sent, then closed with "going away".
        assertEquals(1001, stream.awaitClose(60));
        JsonNode fin = stream.ofType("final").getFirst();
        assertEquals(StreamingTestReference.of(TestSupport.speech(), 1.0), fin.get("text").asText());
        closing.get();
        assertThrows(UncheckedIOException.class, () -> TestSupport.get(port, Routes.HEALTH), "stopped");
    }

    @Test
    void workLeftAfterTheGracePeriodIsAnswered503() throws Exception {
        AsrServer s = TestSupport.start(TestSupport.settings().withQueue(1, 4, 120).withMaxNewTokens(20_000)
                .withShutdownGrace(0.5));
        int port = s.port();
        var upload = postAsync(port);
        awaitDecoding(port, 1);
        s.close();
        HttpResponse<String> r = upload.get();
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("shutting_down", JSON.readTree(r.body()).get("error").get("code").asText());
    }
}
