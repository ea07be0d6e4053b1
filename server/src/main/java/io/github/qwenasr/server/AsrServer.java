package io.github.qwenasr.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import org.eclipse.jetty.server.handler.GracefulHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the OpenAI transcription API, the streaming WebSocket, the page, health and
 * metrics, on Javalin (Jetty 12, virtual threads). {@link #start} binds and returns; {@link #close}
 * drains (new requests get 503, work in flight finishes within the grace period) and stops.
 */
public final class AsrServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsrServer.class);
    /** Marks a response whose error body was already written, so the status handlers leave it alone. */
    private static final String ERROR_WRITTEN = "qwenasr.errorWritten";
    /** How long requests stopped after the grace period get to send their 503. */
    private static final long ABORT_WAIT_MILLIS = 5000;

    private final Engine engine;
    private final ServerSettings settings;
    private final Admission admission;
    private final Metrics metrics;
    private final ApiKeyGuard guard;
    private final StreamEndpoint streams;
    private final Path workDir;
    private final long startedAt = Instant.now().getEpochSecond();
    private Javalin app;
    private boolean closed;

    private AsrServer(Engine engine, ServerSettings settings, Path workDir) {
        this.engine = engine;
        this.settings = settings;
        this.admission = new Admission(settings.maxConcurrent(), settings.maxQueue());
        this.metrics = new Metrics(admission::waiting, admission::admitted, engine::decodeStats);
        this.guard = new ApiKeyGuard(settings.apiKey());
        this.streams = new StreamEndpoint(engine, settings, metrics, guard);
        this.workDir = workDir;
    }

    /**
     * Starts serving {@code engine} (which the caller keeps and closes after this server).
     *
     * @throws IOException when the spool directory cannot be made
     * @throws io.javalin.util.JavalinBindException when the address is in use
     */
    public static AsrServer start(Engine engine, ServerSettings settings) throws IOException {
        AsrServer s = new AsrServer(engine, settings, Files.createTempDirectory("qwen-asr-server-"));
        try {
            s.app = s.build().start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            s.deleteWorkDir();
            throw e;
        }
        return s;
    }

    private Javalin build() {
        TranscriptionHandler transcriptions = new TranscriptionHandler(engine, settings, admission, metrics, workDir);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.prefer405over404 = true;
            // Jetty's graceful stop: responses being written when the server stops are completed first.
            config.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(ABORT_WAIT_MILLIS);
            });
            config.jetty.modifyServletContextHandler(h -> h.setMaxFormContentSize(UploadForm.MAX_FORM_BYTES));
            config.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxBinaryMessageSize(1 << 20);
                f.setMaxTextMessageSize(2L * ServerSettings.MAX_FIELD_BYTES);
                f.setIdleTimeout(StreamEndpoint.IDLE_TIMEOUT);
            });
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache",
                        "Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; "
                                + "media-src 'self' blob:; img-src 'self' data:; frame-ancestors 'none'");
            });
            config.requestLogger.http((ctx, ms) ->
                    metrics.request(Routes.label(ctx.path()), ctx.statusCode(), ms / 1000.0));

            config.routes.before("/v1/*", ctx -> {
                if (!ctx.path().equals(Routes.STREAM)) guard.check(ctx.header("Authorization"));
            });
            config.routes.before(Routes.METRICS, ctx -> guard.check(ctx.header("Authorization")));
            config.routes.post(Routes.TRANSCRIPTIONS, transcriptions::handle);
            config.routes.get(Routes.MODELS, this::models);
            config.routes.get(Routes.MODELS + "/{id}", this::model);
            config.routes.get(Routes.HEALTH, this::health);
            config.routes.get(Routes.METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.render()));
            config.routes.ws(Routes.STREAM, streams::configure);

            config.routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, fromHttp(e.getStatus())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                writeError(ctx, ApiException.internal());
            });
            config.routes.error(404, ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) writeError(ctx, fromHttp(404));
            });
            config.routes.error(405, ctx -> {
                if (ctx.attribute(ERROR_WRITTEN) == null) writeError(ctx, fromHttp(405));
            });
        });
    }

    private static ApiException fromHttp(int status) {
        return switch (status) {
            case 404 -> ApiException.notFound("Unknown path; the API is POST " + Routes.TRANSCRIPTIONS + ", GET "
                    + Routes.MODELS + ", WebSocket " + Routes.STREAM + ", GET " + Routes.HEALTH + ", GET " + Routes.METRICS);
            case 405 -> new ApiException(405, "invalid_request_error", null, "method_not_allowed",
                    "This method is not allowed on this path", 0);
            case 413 -> ApiException.tooLarge(null, "request_too_large", "The request is too large");
            default -> status >= 500 ? ApiException.internal()
                    : new ApiException(status, "invalid_request_error", null, null, "The request was refused", 0);
        };
    }

    private static void writeError(Context ctx, ApiException e) {
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
        if (e.retryAfterSeconds() > 0) ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        ctx.status(e.status()).contentType("application/json").result(Json.error(e));
    }

    private void models(Context ctx) {
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String id : new ModelNames(engine.modelId()).listed()) data.add(modelEntry(id));
        ctx.contentType("application/json").result(Json.write(list));
    }

    private void model(Context ctx) {
        String id = ctx.pathParam("id");
        if (!new ModelNames(engine.modelId()).serves(id)) throw ApiException.unknownModel(UploadForm.shorten(id));
        ctx.contentType("application/json").result(Json.write(modelEntry(id)));
    }

    private ObjectNode modelEntry(String id) {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", startedAt);
        m.put("owned_by", "qwen-asr");
        return m;
    }

    private void health(Context ctx) {
        ObjectNode h = Json.object();
        boolean draining = admission.draining();
        h.put("status", draining ? "draining" : "ok");
        h.put("model", engine.modelId());
        h.put("aligner", engine.hasAligner());
        h.put("requests_in_flight", admission.admitted());
        h.put("queue_depth", admission.waiting());
        h.put("streams", streams.open());
        ctx.status(draining ? 503 : 200).contentType("application/json").result(Json.write(h));
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    public Metrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: no new requests or sessions; transcriptions in flight finish and streaming
     * sessions finish the audio they received (final event, close 1001), within the grace period.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        admission.drain();
        streams.drain();
        long graceMillis = (long) (settings.shutdownGraceSeconds() * 1000);
        long end = System.currentTimeMillis() + graceMillis;
        try {
            if (!admission.awaitIdle(graceMillis)) {
                LOG.warn("stopping {} transcription(s) unfinished after the {} s grace period",
                        admission.admitted(), settings.shutdownGraceSeconds());
                // They stop at their next token and answer 503 instead of losing the connection.
                admission.abort();
                admission.awaitIdle(ABORT_WAIT_MILLIS);
            }
            while (streams.open() > 0 && System.currentTimeMillis() < end) Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        deleteWorkDir();
    }

    private void deleteWorkDir() {
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Left in the temporary directory; nothing refers to it any more.
                }
            });
        } catch (IOException ignored) {
            // Same.
        }
    }
}
