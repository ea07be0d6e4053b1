package io.github.qwenasr.server;

import io.github.qwenasr.tools.Preset;
import io.github.qwenasr.tools.SyntheticCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What the server tests share: the tiny synthetic model and aligner (regenerated from their seeds
 * under target/, loaded once per test JVM), the shared audio clips, and a plain HTTP client.
 */
final class TestSupport {
    /** Generation limit per upload: the tiny model's random weights never emit an end token. */
    static final int MAX_NEW_TOKENS = 24;

    private static Engine engine;

    private TestSupport() {
    }

    /** The engine over the tiny model (seed 7) with the tiny aligner (seed 1234); shared, never closed. */
    static synchronized Engine engine() {
        if (engine == null) {
            try {
                Path root = Path.of("target", "synthetic-models");
                Path asr = root.resolve("tiny-7");
                Path aligner = root.resolve("tiny-aligner-1234");
                SyntheticCheckpoint.ensure(Preset.TINY, 7, asr, 1, shared());
                SyntheticCheckpoint.ensure(Preset.TINY_ALIGNER, 1234, aligner, 1, shared());
                engine = Engine.load(asr, aligner, 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return engine;
    }

    /** Settings for a test server: loopback, any free port, short uploads decode. */
    static ServerSettings settings() {
        return ServerSettings.defaults().withPort(0).withMaxNewTokens(MAX_NEW_TOKENS).withShutdownGrace(10);
    }

    static AsrServer start(ServerSettings settings) {
        try {
            return AsrServer.start(engine(), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ../shared (Maven passes its path as qwenasr.shared); missing means a failing test. */
    static Path shared() {
        String prop = System.getProperty("qwenasr.shared");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p.resolve("data"))) {
            throw new IllegalStateException("shared data folder not found at " + p.toAbsolutePath());
        }
        return p;
    }

    /** A shared clip by file name (must exist: a missing fixture fails). */
    static Path clip(String name) {
        Path p = shared().resolve("data/audio").resolve(name);
        if (!Files.isRegularFile(p)) throw new IllegalStateException("missing fixture " + p);
        return p;
    }

    /** The 3.6 s 16 kHz mono s16le speech clip. */
    static Path speech() {
        return clip("test_speech.wav");
    }

    /** The payload of a WAV file's "data" chunk. */
    static byte[] wavData(Path wav) {
        byte[] b;
        try {
            b = Files.readAllBytes(wav);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= b.length) {
            String id = new String(b, pos, 4, StandardCharsets.US_ASCII);
            int size = buf.getInt(pos + 4);
            if (id.equals("data")) return Arrays.copyOfRange(b, pos + 8, pos + 8 + size);
            pos += 8 + size + (size & 1);
        }
        throw new IllegalStateException("no data chunk in " + wav);
    }

    /** Duration of a 16 kHz mono 16-bit WAV, from its data chunk alone. */
    static double seconds16k(Path wav) {
        return wavData(wav).length / 2 / 16000.0;
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<String> get(int port, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (headers.length > 0) b.headers(headers);
        return send(b.GET().build());
    }

    static HttpResponse<String> post(int port, Multipart body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Routes.TRANSCRIPTIONS))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", body.contentType());
        if (headers.length > 0) b.headers(headers);
        return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build());
    }

    static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A multipart/form-data body built field by field. */
    static final class Multipart {
        private final String boundary = "----qwenasr-test-" + System.nanoTime();
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String filename, byte[] content) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            out.writeBytes(content);
            write("\r\n");
            return this;
        }

        Multipart file(Path wav) {
            try {
                return file("file", wav.getFileName().toString(), Files.readAllBytes(wav));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return copy.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request for {@code wav} with the served model and the given extra fields (name, value pairs). */
    static Multipart upload(Path wav, String... fields) {
        Multipart m = new Multipart().file(wav).field("model", engine().modelId());
        for (int i = 0; i + 1 < fields.length; i += 2) m.field(fields[i], fields[i + 1]);
        return m;
    }

    /** The engine's own result for a clip, as the server computes it (the reference the API must match). */
    static Engine.Result direct(Path wav, Engine.Timing timing) {
        return direct(wav, timing, MAX_NEW_TOKENS);
    }

    static Engine.Result direct(Path wav, Engine.Timing timing, int maxNewTokens) {
        try (Engine.Audio a = engine().open(wav, "file")) {
            return engine().transcribe(a, new Engine.Request(null, "", timing, maxNewTokens), () -> false);
        }
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
