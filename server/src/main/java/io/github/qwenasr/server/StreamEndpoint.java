package io.github.qwenasr.server;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket at {@link Routes#STREAM}: one {@link StreamConnection} per socket, at most
 * {@code maxStreams} at once (one more is told so in an error event and closed with 1013).
 */
final class StreamEndpoint {
    /** A session that receives nothing (no audio, no ping) for this long is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);

    private final Engine engine;
    private final ServerSettings settings;
    private final Metrics metrics;
    private final ApiKeyGuard guard;
    private final Map<String, StreamConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger slots = new AtomicInteger();
    private volatile boolean draining;

    StreamEndpoint(Engine engine, ServerSettings settings, Metrics metrics, ApiKeyGuard guard) {
        this.engine = engine;
        this.settings = settings;
        this.metrics = metrics;
        this.guard = guard;
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(IDLE_TIMEOUT);
            String id = ctx.sessionId();
            String presented = ApiKeyGuard.bearer(ctx.header("Authorization"));
            if (presented != null && !guard.accepts(presented)) {
                refuse(ctx, 1008, "invalid_api_key", "Incorrect API key provided");
                return;
            }
            if (draining) {
                refuse(ctx, 1001, "shutting_down", "The server is shutting down");
                return;
            }
            if (slots.incrementAndGet() > settings.maxStreams()) {
                slots.decrementAndGet();
                metrics.streamEnded("refused");
                refuse(ctx, 1013, "too_many_streams", "All " + settings.maxStreams()
                        + " streaming sessions are in use; retry later");
                return;
            }
            metrics.streamOpened();
            boolean authorized = !guard.enabled() || presented != null;
            open.put(id, new StreamConnection(ctx.session, engine, settings, metrics, authorized, () -> {
                open.remove(id);
                slots.decrementAndGet();
                metrics.streamClosed();
            }));
        });
        ws.onMessage(ctx -> {
            StreamConnection c = open.get(ctx.sessionId());
            if (c != null) c.onText(ctx.message(), guard);
        });
        ws.onBinaryMessage(ctx -> {
            StreamConnection c = open.get(ctx.sessionId());
            if (c != null) c.onBinary(ctx.data());
        });
        ws.onClose(ctx -> closed(ctx.sessionId()));
        ws.onError(ctx -> closed(ctx.sessionId()));
    }

    private void closed(String id) {
        StreamConnection c = open.get(id);
        if (c != null) c.onClosed();
    }

    private static void refuse(WsContext ctx, int code, String errorCode, String message) {
        var e = Json.object();
        e.put("type", "error");
        e.put("code", errorCode);
        e.put("message", message);
        ctx.session.sendText(Json.write(e), org.eclipse.jetty.websocket.api.Callback.from(
                () -> ctx.closeSession(code, errorCode), t -> ctx.closeSession(code, errorCode)));
    }

    /** Stops accepting sessions and asks each open one to finish what it has received. */
    void drain() {
        draining = true;
        for (StreamConnection c : open.values()) c.shutdown();
    }

    /** Open sessions. */
    int open() {
        return open.size();
    }
}
