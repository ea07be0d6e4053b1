package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's small parts: language field, key check, queue, inbox, raw PCM, metrics text. */
class SmallPartsTest {
    private static final List<String> NAMES = List.of("Chinese", "English", "Cantonese", "German", "Filipino",
            "Portuguese");

    @Test
    void languageCodesAndNames() {
        LanguageParam p = new LanguageParam(NAMES);
        assertEquals(Optional.of("English"), p.resolve("en"));
        assertEquals(Optional.of("English"), p.resolve("en-US"));
        assertEquals(Optional.of("Portuguese"), p.resolve("pt_BR"));
        assertEquals(Optional.of("German"), p.resolve(" GERMAN "));
        assertEquals(Optional.of("Cantonese"), p.resolve("yue"));
        assertEquals(Optional.of("Cantonese"), p.resolve("zh-HK"));
        assertEquals(Optional.of("Chinese"), p.resolve("zh-CN"));
        assertEquals(Optional.of("Filipino"), p.resolve("tl"));
        assertEquals(Optional.empty(), p.resolve(""));
        assertEquals(Optional.empty(), p.resolve(null));
        ApiException e = assertThrows(ApiException.class, () -> p.resolve("xx"));
        assertEquals(400, e.status());
        assertEquals("language", e.param());
        assertThrows(ApiException.class, () -> p.resolve("fr"), "French is not among this model's names");
    }

    @Test
    void everyModelLanguageHasACode() {
        // ISO 639-1 where it exists; ISO 639-3 for Cantonese (yue) and Filipino (fil).
        Map<String, String> iso = Map.ofEntries(Map.entry("zh", "Chinese"), Map.entry("en", "English"),
                Map.entry("yue", "Cantonese"), Map.entry("ar", "Arabic"), Map.entry("de", "German"),
                Map.entry("fr", "French"), Map.entry("es", "Spanish"), Map.entry("pt", "Portuguese"),
                Map.entry("id", "Indonesian"), Map.entry("it", "Italian"), Map.entry("ko", "Korean"),
                Map.entry("ru", "Russian"), Map.entry("th", "Thai"), Map.entry("vi", "Vietnamese"),
                Map.entry("ja", "Japanese"), Map.entry("tr", "Turkish"), Map.entry("hi", "Hindi"),
                Map.entry("ms", "Malay"), Map.entry("nl", "Dutch"), Map.entry("sv", "Swedish"),
                Map.entry("da", "Danish"), Map.entry("fi", "Finnish"), Map.entry("pl", "Polish"),
                Map.entry("cs", "Czech"), Map.entry("fil", "Filipino"), Map.entry("fa", "Persian"),
                Map.entry("el", "Greek"), Map.entry("ro", "Romanian"), Map.entry("hu", "Hungarian"),
                Map.entry("mk", "Macedonian"));
        List<String> names = TestSupport.engine().languages();
        assertEquals(30, names.size());
        assertEquals(new java.util.HashSet<>(names), new java.util.HashSet<>(iso.values()));
        LanguageParam p = new LanguageParam(names);
        iso.forEach((code, name) -> assertEquals(Optional.of(name), p.resolve(code), code));
    }

    @Test
    void apiKey() {
        ApiKeyGuard open = new ApiKeyGuard(null);
        open.check(null);
        assertTrue(open.accepts("anything"));
        ApiKeyGuard g = new ApiKeyGuard("k-123");
        g.check("Bearer k-123");
        g.check("bearer   k-123 ");
        assertTrue(g.accepts("k-123"));
        assertFalse(g.accepts("k-12"));
        assertFalse(g.accepts("k-1234"));
        assertFalse(g.accepts(null));
        for (String bad : new String[]{null, "", "Bearer", "Bearer ", "Basic k-123", "k-123", "Bearer K-123"}) {
            ApiException e = assertThrows(ApiException.class, () -> g.check(bad), String.valueOf(bad));
            assertEquals(401, e.status());
        }
    }

    @Test
    void queueAdmitsRunningPlusWaitingThenRefuses() throws Exception {
        Admission a = new Admission(1, 1);
        Admission.Ticket first = a.enter();
        first.awaitTurn(System.nanoTime() + 1_000_000_000L);
        Admission.Ticket second = a.enter();
        ApiException full = assertThrows(ApiException.class, a::enter);
        assertEquals(429, full.status());
        assertEquals(2, a.admitted());
        // The waiting one times out while the slot is held.
        ApiException late = assertThrows(ApiException.class, () -> second.awaitTurn(System.nanoTime() + 50_000_000L));
        assertEquals(503, late.status());
        second.close();
        CountDownLatch got = new CountDownLatch(1);
        Admission.Ticket third = a.enter();
        Thread t = Thread.ofVirtual().start(() -> {
            third.awaitTurn(System.nanoTime() + 5_000_000_000L);
            got.countDown();
        });
        Thread.sleep(100);
        assertEquals(1, a.waiting());
        first.close();
        assertTrue(got.await(5, TimeUnit.SECONDS));
        t.join();
        a.drain();
        assertEquals(503, assertThrows(ApiException.class, a::enter).status());
        assertFalse(a.awaitIdle(50));
        third.close();
        assertTrue(a.awaitIdle(1000));
        assertEquals(0, a.running());
    }

    @Test
    void inboxBoundsTheBacklogAndEndsTheStream() throws Exception {
        AudioInbox in = new AudioInbox(8);
        assertTrue(in.offer(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}));
        CountDownLatch offered = new CountDownLatch(1);
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                in.offer(new byte[]{9, 10});
                offered.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertFalse(offered.await(200, TimeUnit.MILLISECONDS), "a full backlog makes the sender wait");
        InputStream s = in.stream();
        byte[] buf = new byte[5];
        assertEquals(5, s.read(buf, 0, 5));
        assertTrue(offered.await(5, TimeUnit.SECONDS));
        producer.join();
        in.end();
        assertArrayEquals(new byte[]{6, 7, 8, 9, 10}, s.readAllBytes());
        assertEquals(-1, s.read());
        assertFalse(in.offer(new byte[]{1}));

        AudioInbox cancelled = new AudioInbox(8);
        cancelled.cancel();
        assertThrows(java.io.InterruptedIOException.class, () -> cancelled.stream().read());
    }

    @Test
    void rawPcmAcrossFrameBoundaries() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 16384).putShort((short) -32768).putFloat(0.25f).putFloat(3f);
        byte[] s16 = java.util.Arrays.copyOf(b.array(), 5); // two samples and a stray byte
        RawPcmBlocks r = new RawPcmBlocks(new ByteArrayInputStream(s16), 16000, false);
        assertArrayEquals(new float[]{0.5f, -1f}, r.next());
        assertNull(r.next(), "a trailing partial sample is dropped");
        RawPcmBlocks f = new RawPcmBlocks(new ByteArrayInputStream(java.util.Arrays.copyOfRange(b.array(), 4, 12)),
                48000, true);
        assertArrayEquals(new float[]{0.25f, 1f}, f.next(), "clipped to [-1, 1]");
        assertEquals(48000, f.sampleRate());
        ByteBuffer nan = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        assertThrows(Engine.Failure.class, () -> new RawPcmBlocks(new ByteArrayInputStream(nan.array()), 16000, true).next());
    }

    @Test
    void metricsText() {
        Metrics m = new Metrics(() -> 3, () -> 5,
                () -> new io.github.qwenasr.DecodeStats(3, 1, 8, 40, 100, 7, 4, java.util.List.of(0L, 10L, 10L, 10L, 10L)));
        m.request(Routes.TRANSCRIPTIONS, 200, 0.3);
        m.request(Routes.TRANSCRIPTIONS, 200, 7);
        m.request(Routes.TRANSCRIPTIONS, 429, 0.01);
        m.transcribed(10, 4);
        m.streamed(6, 2);
        m.decodingStarted();
        String text = m.render();
        assertTrue(text.contains("qwenasr_http_requests_total{route=\"/v1/audio/transcriptions\",status=\"200\"} 2\n"), text);
        assertTrue(text.contains("qwenasr_http_requests_total{route=\"/v1/audio/transcriptions\",status=\"429\"} 1\n"), text);
        assertTrue(text.contains("qwenasr_realtime_factor{mode=\"upload\"} 2.5\n"), text);
        assertTrue(text.contains("qwenasr_realtime_factor{mode=\"stream\"} 3\n"), text);
        assertTrue(text.contains("qwenasr_queue_depth 3\n"), text);
        assertTrue(text.contains("qwenasr_requests_in_flight 5\n"), text);
        assertTrue(text.contains("qwenasr_sequences_in_flight 1\n"), text);
        assertTrue(text.contains("qwenasr_decode_batch_size 3\n"), text);
        assertTrue(text.contains("qwenasr_decode_batch_waiting 1\n"), text);
        assertTrue(text.contains("qwenasr_decode_batch_limit 8\n"), text);
        assertTrue(text.contains("qwenasr_decode_batch_largest 4\n"), text);
        assertTrue(text.contains("qwenasr_decode_steps_total 40\n"), text);
        assertTrue(text.contains("qwenasr_decode_tokens_total 100\n"), text);
        assertTrue(text.contains("qwenasr_transcription_duration_seconds_bucket{le=\"0.5\"} 2\n"), text);
        assertTrue(text.contains("qwenasr_transcription_duration_seconds_bucket{le=\"10\"} 3\n"), text);
        assertTrue(text.contains("qwenasr_transcription_duration_seconds_count 3\n"), text);
        for (String line : text.lines().toList()) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.matches("[a-z_]+(\\{[^}]*})? \\S+"),
                    line);
        }
        assertEquals("other", Routes.label("/v1/../etc/passwd"));
        assertEquals("page", Routes.label("/"));
    }
}
