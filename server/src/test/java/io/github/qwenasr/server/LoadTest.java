package io.github.qwenasr.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bounded load test on loopback: 16 uploads one at a time, then 16 uploads and 4 streaming
 * sessions at once on the tiny model. Every transcript must equal its clip's single-request result
 * (nothing lost, duplicated or mixed up); throughput and latency percentiles are printed and written
 * to target/load-test.txt.
 */
class LoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UPLOADS = 16;
    private static final int STREAMS = 4;
    /** The whole test stops by itself within this time. */
    private static final long LIMIT_SECONDS = 240;
    /** The server's default streaming step. */
    static final double STREAM_CHUNK_SECONDS = 2.0;

    private record Timed(String text, double seconds) {}

    private static Timed upload(int port, Path clip) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = TestSupport.post(port, TestSupport.upload(clip));
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(200, r.statusCode(), r.body());
        return new Timed(JSON.readTree(r.body()).get("text").asText(), s);
    }

    private static Timed stream(int port, Path clip) throws Exception {
        long t0 = System.nanoTime();
        WsClient c = StreamingTest.session(port, "s16le", 16000, TestSupport.wavData(clip), 3200);
        return new Timed(StreamingTest.finalText(c), (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void concurrentUploadsAndStreamsMatchOneAtATime() throws Exception {
        List<Path> clips = List.of(TestSupport.speech(), TestSupport.clip("notld_5s_dont_worry_about_him.wav"),
                TestSupport.clip("jfk.wav"));
        AsrServer server = TestSupport.start(TestSupport.settings().withQueue(4, UPLOADS, LIMIT_SECONDS)
                .withStreams(STREAMS, 600, STREAM_CHUNK_SECONDS));
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADS + STREAMS);
        long deadline = System.nanoTime() + LIMIT_SECONDS * 1_000_000_000L;
        try {
            int port = server.port();
            // The single-request results (and a warm-up of every path).
            List<String> expected = new ArrayList<>();
            for (Path clip : clips) expected.add(upload(port, clip).text());
            List<String> expectedStream = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) expectedStream.add(StreamingTestReference.of(clips.get(i % clips.size()),
                    STREAM_CHUNK_SECONDS));

            // One at a time.
            double[] alone = new double[UPLOADS];
            long t0 = System.nanoTime();
            for (int i = 0; i < UPLOADS; i++) {
                Timed t = upload(port, clips.get(i % clips.size()));
                assertEquals(expected.get(i % clips.size()), t.text(), "sequential upload " + i);
                alone[i] = t.seconds();
            }
            double aloneWall = (System.nanoTime() - t0) / 1e9;

            // 16 uploads at once.
            double[] burst = new double[UPLOADS];
            long tb = System.nanoTime();
            List<Future<Timed>> first = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                Path clip = clips.get(i % clips.size());
                first.add(pool.submit((Callable<Timed>) () -> upload(port, clip)));
            }
            for (int i = 0; i < UPLOADS; i++) {
                Timed t = first.get(i).get(left(deadline), TimeUnit.NANOSECONDS);
                assertEquals(expected.get(i % clips.size()), t.text(), "concurrent upload " + i);
                burst[i] = t.seconds();
            }
            double burstWall = (System.nanoTime() - tb) / 1e9;

            // 16 uploads and 4 streams at once.
            List<Future<Timed>> uploads = new ArrayList<>();
            List<Future<Timed>> streams = new ArrayList<>();
            long t1 = System.nanoTime();
            for (int i = 0; i < UPLOADS; i++) {
                Path clip = clips.get(i % clips.size());
                uploads.add(pool.submit((Callable<Timed>) () -> upload(port, clip)));
            }
            for (int i = 0; i < STREAMS; i++) {
                Path clip = clips.get(i % clips.size());
                streams.add(pool.submit((Callable<Timed>) () -> stream(port, clip)));
            }
            double[] together = new double[UPLOADS];
            for (int i = 0; i < UPLOADS; i++) {
                Timed t = uploads.get(i).get(left(deadline), TimeUnit.NANOSECONDS);
                assertEquals(expected.get(i % clips.size()), t.text(), "upload " + i + " beside streams");
                together[i] = t.seconds();
            }
            double uploadsWall = (System.nanoTime() - t1) / 1e9;
            double[] streamSeconds = new double[STREAMS];
            for (int i = 0; i < STREAMS; i++) {
                Timed t = streams.get(i).get(left(deadline), TimeUnit.NANOSECONDS);
                assertEquals(expectedStream.get(i), t.text(), "concurrent stream " + i);
                streamSeconds[i] = t.seconds();
            }
            double allWall = (System.nanoTime() - t1) / 1e9;

            String metrics = TestSupport.get(port, Routes.METRICS).body();
            assertTrue(metrics.contains("qwenasr_queue_depth 0"), metrics);
            // Uploads admitted together decode in one batch on the shared model.
            int largest = metrics.lines().filter(l -> l.startsWith("qwenasr_decode_batch_largest "))
                    .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
            assertTrue(largest >= 2, "no decoder pass ran two sequences at once:\n" + metrics);
            StreamingTest.awaitNoSessions(port);
            String report = String.format(Locale.ROOT, """
                    load test (tiny model, %d uploads of %d clips, %d tokens each, --max-concurrent 4; %d streams, %.1f s chunks; %d cores)
                      one at a time : %6.2f s for %d uploads = %5.2f req/s, latency p50 %.3f s, p99 %.3f s
                      all at once   : %6.2f s for %d uploads = %5.2f req/s, latency p50 %.3f s, p99 %.3f s
                      with streams  : %6.2f s for %d uploads = %5.2f req/s, latency p50 %.3f s, p99 %.3f s (%d streams at once)
                      streams       : each %.2f-%.2f s; everything done in %.2f s; largest decode batch %d
                    """, UPLOADS, clips.size(), TestSupport.MAX_NEW_TOKENS, STREAMS, STREAM_CHUNK_SECONDS,
                    Runtime.getRuntime().availableProcessors(),
                    aloneWall, UPLOADS, UPLOADS / aloneWall, percentile(alone, 50), percentile(alone, 99),
                    burstWall, UPLOADS, UPLOADS / burstWall, percentile(burst, 50), percentile(burst, 99),
                    uploadsWall, UPLOADS, UPLOADS / uploadsWall, percentile(together, 50), percentile(together, 99), STREAMS,
                    Arrays.stream(streamSeconds).min().orElse(0), Arrays.stream(streamSeconds).max().orElse(0), allWall, largest);
            System.out.print(report);
            Files.writeString(Path.of("target", "load-test.txt"), report);
        } finally {
            pool.shutdownNow();
            server.close();
        }
    }

    private static long left(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
