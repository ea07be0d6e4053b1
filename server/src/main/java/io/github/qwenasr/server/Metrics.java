package io.github.qwenasr.server;

import io.github.qwenasr.DecodeStats;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Counters and gauges for {@code GET /metrics}, in the Prometheus text format (version 0.0.4).
 * Labels come from fixed sets (known routes, status codes, stream outcomes), so the number of
 * series stays bounded whatever clients send.
 */
public final class Metrics {
    /** Upper bounds of the request duration histogram, in seconds. */
    private static final double[] BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> streamOutcomes = new ConcurrentHashMap<>();
    private final DoubleAdder uploadAudio = new DoubleAdder();
    private final DoubleAdder uploadProcessing = new DoubleAdder();
    private final DoubleAdder streamAudio = new DoubleAdder();
    private final DoubleAdder streamProcessing = new DoubleAdder();
    private final LongAdder[] durationBuckets = new LongAdder[BUCKETS.length + 1];
    private final DoubleAdder durationSum = new DoubleAdder();
    private final AtomicInteger decoding = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final IntSupplier queueDepth;
    private final IntSupplier inFlight;
    private final Supplier<DecodeStats> decode;

    /**
     * @param queueDepth requests waiting for a decoding slot
     * @param inFlight   requests admitted and not answered yet
     * @param decode     the loaded model's decode batch (uploads and streams decode in one batch)
     */
    public Metrics(IntSupplier queueDepth, IntSupplier inFlight, Supplier<DecodeStats> decode) {
        this.queueDepth = queueDepth;
        this.inFlight = inFlight;
        this.decode = decode;
        for (int i = 0; i < durationBuckets.length; i++) durationBuckets[i] = new LongAdder();
    }

    /** One HTTP response; {@code route} must come from a fixed set. */
    public void request(String route, int status, double seconds) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        if (route.equals(Routes.TRANSCRIPTIONS)) {
            int b = 0;
            while (b < BUCKETS.length && seconds > BUCKETS[b]) b++;
            durationBuckets[b].increment();
            durationSum.add(seconds);
        }
    }

    /** A finished upload transcription: its audio and the wall time the engine took. */
    public void transcribed(double audioSeconds, double processingSeconds) {
        uploadAudio.add(audioSeconds);
        uploadProcessing.add(processingSeconds);
    }

    /** Streaming audio decoded by one push or finish, and its wall time. */
    public void streamed(double audioSeconds, double processingSeconds) {
        streamAudio.add(audioSeconds);
        streamProcessing.add(processingSeconds);
    }

    /** How a streaming session ended (finished, cancelled, error, slow_client, shutdown, refused). */
    public void streamEnded(String outcome) {
        streamOutcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** A sequence (upload or stream step) entered the engine; pair with {@link #decodingEnded}. */
    public void decodingStarted() {
        decoding.incrementAndGet();
    }

    public void decodingEnded() {
        decoding.decrementAndGet();
    }

    public void streamOpened() {
        streams.incrementAndGet();
    }

    public void streamClosed() {
        streams.decrementAndGet();
    }

    public int activeStreams() {
        return streams.get();
    }

    /** The exposition text. */
    public String render() {
        StringBuilder out = new StringBuilder(2048);
        header(out, "qwenasr_http_requests_total", "counter", "HTTP requests answered, by route and status.");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> {
            String[] parts = k.split("\u0000", 2);
            out.append("qwenasr_http_requests_total{route=\"").append(parts[0]).append("\",status=\"").append(parts[1])
                    .append("\"} ").append(v).append('\n');
        });
        header(out, "qwenasr_audio_seconds_total", "counter", "Seconds of audio transcribed, by mode.");
        sample(out, "qwenasr_audio_seconds_total{mode=\"upload\"}", uploadAudio.sum());
        sample(out, "qwenasr_audio_seconds_total{mode=\"stream\"}", streamAudio.sum());
        header(out, "qwenasr_processing_seconds_total", "counter", "Wall seconds the engine spent on that audio, by mode.");
        sample(out, "qwenasr_processing_seconds_total{mode=\"upload\"}", uploadProcessing.sum());
        sample(out, "qwenasr_processing_seconds_total{mode=\"stream\"}", streamProcessing.sum());
        header(out, "qwenasr_realtime_factor", "gauge",
                "Audio seconds per processing second since start, by mode (above 1: faster than real time).");
        sample(out, "qwenasr_realtime_factor{mode=\"upload\"}", ratio(uploadAudio.sum(), uploadProcessing.sum()));
        sample(out, "qwenasr_realtime_factor{mode=\"stream\"}", ratio(streamAudio.sum(), streamProcessing.sum()));
        header(out, "qwenasr_queue_depth", "gauge", "Transcription requests waiting for a decoding slot.");
        sample(out, "qwenasr_queue_depth", queueDepth.getAsInt());
        header(out, "qwenasr_requests_in_flight", "gauge", "Transcription requests admitted and not yet answered.");
        sample(out, "qwenasr_requests_in_flight", inFlight.getAsInt());
        header(out, "qwenasr_sequences_in_flight", "gauge",
                "Sequences inside the engine now: uploads decoding plus streaming steps running.");
        sample(out, "qwenasr_sequences_in_flight", decoding.get());
        DecodeStats d = decode.get();
        header(out, "qwenasr_decode_batch_size", "gauge", "Sequences in the model's decode batch now.");
        sample(out, "qwenasr_decode_batch_size", d.active());
        header(out, "qwenasr_decode_batch_waiting", "gauge", "Prefilled sequences waiting to join the decode batch.");
        sample(out, "qwenasr_decode_batch_waiting", d.waiting());
        header(out, "qwenasr_decode_batch_limit", "gauge", "Sequences the decode batch may hold.");
        sample(out, "qwenasr_decode_batch_limit", d.batchLimit());
        header(out, "qwenasr_decode_batch_largest", "gauge", "The most sequences one decoder pass has computed since start.");
        sample(out, "qwenasr_decode_batch_largest", d.largestBatch());
        header(out, "qwenasr_decode_steps_total", "counter", "Decoder passes run (each one token for every sequence in the batch).");
        sample(out, "qwenasr_decode_steps_total", d.steps());
        header(out, "qwenasr_decode_tokens_total", "counter", "Tokens those passes computed (the sum of their batch sizes).");
        sample(out, "qwenasr_decode_tokens_total", d.rows());
        header(out, "qwenasr_stream_sessions", "gauge", "Open WebSocket streaming sessions.");
        sample(out, "qwenasr_stream_sessions", streams.get());
        header(out, "qwenasr_stream_sessions_ended_total", "counter", "Streaming sessions ended, by outcome.");
        new TreeMap<>(streamOutcomes).forEach((k, v) ->
                sample(out, "qwenasr_stream_sessions_ended_total{outcome=\"" + k + "\"}", v.sum()));
        header(out, "qwenasr_transcription_duration_seconds", "histogram",
                "Time to answer POST /v1/audio/transcriptions, queue wait included.");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += durationBuckets[i].sum();
            sample(out, "qwenasr_transcription_duration_seconds_bucket{le=\"" + number(BUCKETS[i]) + "\"}", cumulative);
        }
        cumulative += durationBuckets[BUCKETS.length].sum();
        sample(out, "qwenasr_transcription_duration_seconds_bucket{le=\"+Inf\"}", cumulative);
        sample(out, "qwenasr_transcription_duration_seconds_sum", durationSum.sum());
        sample(out, "qwenasr_transcription_duration_seconds_count", cumulative);
        return out.toString();
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : 0;
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String series, double value) {
        out.append(series).append(' ').append(number(value)).append('\n');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
