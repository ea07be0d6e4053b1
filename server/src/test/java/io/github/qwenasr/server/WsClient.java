package io.github.qwenasr.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A streaming client over the JDK's WebSocket (java.net.http), collecting the server's JSON events. */
final class WsClient implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final List<JsonNode> all = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    /** Arrival time of each event, System.nanoTime. */
    final List<Long> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder partial = new StringBuilder();
    private final boolean reads;
    private WebSocket socket;

    /** @param reads false for a client that stops reading after its first event (a stalled reader) */
    private WsClient(boolean reads) {
        this.reads = reads;
    }

    static WsClient connect(int port, boolean reads, String... headers) {
        WsClient c = new WsClient(reads);
        WebSocket.Builder b = TestSupport.HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        c.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + Routes.STREAM), c).join();
        return c;
    }

    static WsClient connect(int port) {
        return connect(port, true);
    }

    void text(String s) {
        socket.sendText(s, true).join();
    }

    void config(String format, int sampleRate) {
        text("{\"type\":\"config\",\"format\":\"" + format + "\",\"sample_rate\":" + sampleRate + "}");
    }

    void binary(byte[] bytes, int from, int to) {
        socket.sendBinary(ByteBuffer.wrap(bytes, from, to - from), true).join();
    }

    /** Sends {@code bytes} in frames of {@code frame} bytes, sleeping {@code pauseMillis} after each. */
    void stream(byte[] bytes, int frame, long pauseMillis) throws InterruptedException {
        for (int i = 0; i < bytes.length; i += frame) {
            binary(bytes, i, Math.min(bytes.length, i + frame));
            if (pauseMillis > 0) Thread.sleep(pauseMillis);
        }
    }

    void end() {
        text("{\"type\":\"end\"}");
    }

    void abort() {
        socket.abort();
    }

    /** The next event, or fails after the timeout. */
    JsonNode next(long seconds) throws InterruptedException {
        JsonNode e = events.poll(seconds, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no event within " + seconds + " s; got " + all);
        return e;
    }

    /** Waits for the close and returns its status code. */
    int awaitClose(long seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    /** Events of one type, in order. */
    List<JsonNode> ofType(String type) {
        synchronized (all) {
            return all.stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode e = JSON.readTree(partial.toString());
                arrivals.add(System.nanoTime());
                all.add(e);
                events.add(e);
            } catch (Exception ex) {
                closed.completeExceptionally(ex);
            }
            partial.setLength(0);
        }
        if (reads || !last) webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
