package io.github.qwenasr.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket streaming session. The socket's threads only hand over what arrives: the config
 * message opens an engine stream and starts this session's own decoding thread, binary frames go
 * into a bounded {@link AudioInbox}, {@code {"type": "end"}} ends the input. The decoding thread
 * pushes the audio through the engine and queues JSON events in a bounded {@link Outbox}; sends
 * never wait, so a slow reader cannot hold up the decoding of any session, and a reader too slow
 * for the outbox, or a socket that closes, cancels the session and frees its resources.
 */
final class StreamConnection {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);
    /** Events queued for one client at most before it counts as too slow. */
    static final int OUTBOX_CAPACITY = 256;
    /** Seconds of unread audio a session may buffer before the sender is slowed down. */
    private static final double BACKLOG_SECONDS = 30;

    private enum State { AWAITING_CONFIG, STREAMING, ENDING, CLOSED }

    private final Session session;
    private final Engine engine;
    private final ServerSettings settings;
    private final Metrics metrics;
    private final LanguageParam languages;
    private final boolean authorized;
    private final Runnable onRelease;
    private final Outbox outbox;
    private State state = State.AWAITING_CONFIG;
    private AudioInbox inbox;
    private Engine.Stream stream;
    private StreamConfig config;
    private volatile boolean cancelled;
    private volatile boolean shuttingDown;
    private boolean released;

    /**
     * @param authorized whether the upgrade request carried the right key already (or none is needed)
     * @param onRelease  called once when the session's resources are freed
     */
    StreamConnection(Session session, Engine engine, ServerSettings settings, Metrics metrics, boolean authorized,
                     Runnable onRelease) {
        this.session = session;
        this.engine = engine;
        this.settings = settings;
        this.metrics = metrics;
        this.languages = new LanguageParam(engine.languages());
        this.authorized = authorized;
        this.onRelease = onRelease;
        this.outbox = new Outbox(session, OUTBOX_CAPACITY, this::clientFailed);
    }

    // ------------------------------------------------------------------ socket side

    void onText(String message, ApiKeyGuard guard) {
        State s;
        synchronized (this) {
            s = state;
        }
        switch (s) {
            case AWAITING_CONFIG -> configure(message, guard);
            case STREAMING -> {
                var n = Json.parse(message);
                if (n != null && n.isObject() && "end".equals(n.path("type").asText(null))) {
                    endInput();
                } else {
                    fail(1008, "invalid_message", "After the config, send audio as binary frames and {\"type\": \"end\"} "
                            + "to finish");
                }
            }
            default -> {
                // Input already ended or the session closed: late messages are ignored.
            }
        }
    }

    void onBinary(ByteBuffer data) {
        AudioInbox in;
        synchronized (this) {
            if (state == State.AWAITING_CONFIG) {
                in = null;
            } else if (state != State.STREAMING) {
                return;
            } else {
                in = inbox;
            }
        }
        if (in == null) {
            fail(1008, "config_required", "Send the JSON config message before any audio");
            return;
        }
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        try {
            in.offer(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        }
    }

    /** The socket closed (either side) or failed: stop decoding and free everything. */
    void onClosed() {
        boolean wasOpen;
        synchronized (this) {
            wasOpen = state != State.CLOSED;
            state = State.CLOSED;
        }
        if (wasOpen && !cancelled) {
            cancel();
            metrics.streamEnded("cancelled");
        }
        release();
    }

    /** The server is shutting down: finish the audio received so far, send the final event, then close. */
    void shutdown() {
        shuttingDown = true;
        boolean awaitingConfig;
        synchronized (this) {
            awaitingConfig = state == State.AWAITING_CONFIG;
        }
        if (awaitingConfig) {
            fail(1001, "shutting_down", "The server is shutting down");
        } else {
            endInput();
        }
    }

    private void configure(String message, ApiKeyGuard guard) {
        StreamConfig c;
        try {
            c = StreamConfig.parse(message, languages);
        } catch (ApiException e) {
            fail(1008, e.code(), e.getMessage());
            return;
        }
        if (!authorized && !guard.accepts(c.apiKey())) {
            fail(1008, "invalid_api_key", c.apiKey() == null
                    ? "Missing API key: send 'Authorization: Bearer KEY' or \"api_key\" in the config"
                    : "Incorrect API key provided");
            return;
        }
        Engine.Stream s;
        try {
            s = engine.openStream(c.language(), c.prompt(), settings.streamChunkSeconds());
        } catch (Engine.Failure e) {
            fail(1008, "invalid_config", e.getMessage());
            return;
        }
        synchronized (this) {
            if (state != State.AWAITING_CONFIG) {
                s.cancel();
                return;
            }
            config = c;
            stream = s;
            int bytesPerSecond = c.format().equals("wav") ? 48000 * 8 : c.sampleRate() * (c.format().equals("f32") ? 4 : 2);
            inbox = new AudioInbox(Math.max(256 * 1024, (long) (BACKLOG_SECONDS * bytesPerSecond)));
            state = State.STREAMING;
        }
        ObjectNode ready = event("ready");
        ready.put("model", engine.modelId());
        ready.put("format", c.format());
        if (c.sampleRate() > 0) ready.put("sample_rate", c.sampleRate());
        ready.put("language", c.language());
        ready.put("chunk_seconds", settings.streamChunkSeconds());
        outbox.send(Json.write(ready), Outbox.Kind.OTHER);
        Thread.ofVirtual().name("stream-decoder").start(this::decode);
        if (shuttingDown) endInput();
    }

    private void endInput() {
        AudioInbox in;
        synchronized (this) {
            if (state != State.STREAMING) return;
            state = State.ENDING;
            in = inbox;
        }
        in.end();
    }

    // ------------------------------------------------------------------ decoding side

    private void decode() {
        String outcome = "finished";
        try {
            PcmBlocks blocks = config.format().equals("wav") ? engine.openWavStream(inbox.stream())
                    : new RawPcmBlocks(inbox.stream(), config.sampleRate(), config.format().equals("f32"));
            String tentative = "";
            float[] pcm;
            while ((pcm = blocks.next()) != null) {
                double seconds = pcm.length / (double) blocks.sampleRate();
                if (stream.audioSeconds() + seconds > settings.maxStreamSeconds()) {
                    fail(1009, "audio_too_long", String.format(Locale.ROOT,
                            "The stream is longer than this server's limit of %.0f s", settings.maxStreamSeconds()));
                    outcome = "error";
                    return;
                }
                Engine.StreamStep step = timed(pcm, blocks.sampleRate(), seconds);
                tentative = emit(step, tentative);
            }
            Engine.StreamStep last = timedFinish();
            emit(last, "");
            ObjectNode fin = event("final");
            fin.put("text", last.committedText());
            fin.put("language", last.language());
            fin.put("audio_seconds", Math.round(stream.audioSeconds() * 1000.0) / 1000.0);
            fin.put("finish_reason", Engine.FinishReason.STOP.wire());
            outbox.send(Json.write(fin), Outbox.Kind.OTHER);
            if (shuttingDown) outcome = "shutdown";
            close(shuttingDown ? 1001 : 1000, shuttingDown ? "server shutting down" : "done");
        } catch (Engine.Cancelled | UncheckedIOException e) {
            outcome = "cancelled";
        } catch (Engine.Failure e) {
            if (cancelled) {
                outcome = "cancelled";
            } else {
                outcome = "error";
                fail(1007, "invalid_audio", e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            outcome = cancelled ? "cancelled" : "error";
            if (!cancelled) {
                LOG.error("streaming session failed", e);
                fail(1011, "internal_error", "The server failed to process the stream; see the server log");
            }
        } finally {
            if (!cancelled) metrics.streamEnded(outcome);
            release();
        }
    }

    private Engine.StreamStep timed(float[] pcm, int rate, double seconds) {
        metrics.decodingStarted();
        long t0 = System.nanoTime();
        try {
            return stream.push(pcm, rate);
        } finally {
            metrics.decodingEnded();
            metrics.streamed(seconds, (System.nanoTime() - t0) / 1e9);
        }
    }

    private Engine.StreamStep timedFinish() {
        metrics.decodingStarted();
        long t0 = System.nanoTime();
        try {
            return stream.finish();
        } finally {
            metrics.decodingEnded();
            metrics.streamed(0, (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Queues the events of one step; returns the tentative text now shown. */
    private String emit(Engine.StreamStep step, String shownTentative) {
        if (!step.committedDelta().isEmpty()) {
            ObjectNode c = event("committed");
            c.put("delta", step.committedDelta());
            c.put("text", step.committedText());
            c.put("language", step.language());
            outbox.send(Json.write(c), Outbox.Kind.OTHER);
        }
        if (!step.finished() && !step.tentativeText().equals(shownTentative)) {
            ObjectNode t = event("tentative");
            t.put("text", step.tentativeText());
            outbox.send(Json.write(t), Outbox.Kind.TENTATIVE);
            return step.tentativeText();
        }
        return shownTentative;
    }

    // ------------------------------------------------------------------ endings

    /** Sends an error event, then closes the socket with {@code code}; the session is cancelled. */
    private void fail(int code, String errorCode, String message) {
        ObjectNode e = event("error");
        e.put("code", errorCode);
        e.put("message", message);
        outbox.send(Json.write(e), Outbox.Kind.OTHER);
        stopDecoding();
        close(code, errorCode);
    }

    private void close(int code, String reason) {
        synchronized (this) {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
        }
        outbox.closeWhenDrained(code, reason);
    }

    /** The outbox overflowed or a send failed: the client is gone or too slow; drop it. */
    private void clientFailed(String why) {
        boolean first;
        synchronized (this) {
            first = state != State.CLOSED;
            state = State.CLOSED;
        }
        if (first) {
            LOG.info("closing a streaming session: {}", why);
            metrics.streamEnded("slow_client");
        }
        cancel();
        session.close(1008, "client too slow", Callback.NOOP);
        release();
    }

    private void cancel() {
        cancelled = true;
        stopDecoding();
    }

    private void stopDecoding() {
        AudioInbox in;
        Engine.Stream s;
        synchronized (this) {
            in = inbox;
            s = stream;
        }
        if (in != null) in.cancel();
        if (s != null) s.cancel();
    }

    /** Frees the session's slot once; the decoding thread, if any, ends on its own after a cancel. */
    private void release() {
        synchronized (this) {
            if (released) return;
            released = true;
        }
        onRelease.run();
    }

    private static ObjectNode event(String type) {
        ObjectNode n = Json.object();
        n.put("type", type);
        return n;
    }
}
