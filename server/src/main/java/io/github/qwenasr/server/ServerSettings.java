package io.github.qwenasr.server;

/**
 * How the server listens and what it allows.
 *
 * @param host                 address to bind (loopback by default)
 * @param port                 TCP port (0: any free port)
 * @param apiKey               key clients must present, or null for none
 * @param maxUploadBytes       largest uploaded file
 * @param maxAudioSeconds      longest uploaded recording
 * @param maxConcurrent        transcriptions decoding at once
 * @param maxQueue             transcriptions waiting beyond those (more get 429)
 * @param requestTimeoutSeconds time limit of one transcription request, queue wait included
 * @param maxStreams           WebSocket streaming sessions open at once
 * @param maxStreamSeconds     longest audio one streaming session may send
 * @param streamChunkSeconds   audio per streaming decoding step
 * @param shutdownGraceSeconds how long a shutdown waits for work in flight
 * @param maxNewTokens         generation limit per decoded piece of an upload; 0 = the engine's automatic limit
 */
public record ServerSettings(String host, int port, String apiKey, long maxUploadBytes, double maxAudioSeconds,
                             int maxConcurrent, int maxQueue, double requestTimeoutSeconds, int maxStreams,
                             double maxStreamSeconds, double streamChunkSeconds, double shutdownGraceSeconds, int maxNewTokens) {
    /** Largest text field of a transcription request (prompt, language, ...). */
    public static final int MAX_FIELD_BYTES = 64 * 1024;

    public ServerSettings {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
        if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("the API key must not be blank");
        if (maxUploadBytes < 1024) throw new IllegalArgumentException("the upload limit must be at least 1 KiB");
        if (!(maxAudioSeconds >= 1)) throw new IllegalArgumentException("the audio length limit must be at least 1 s");
        if (maxConcurrent < 1) throw new IllegalArgumentException("at least one concurrent transcription is needed");
        if (maxQueue < 0) throw new IllegalArgumentException("the queue length must be at least 0");
        if (!(requestTimeoutSeconds >= 1)) throw new IllegalArgumentException("the request timeout must be at least 1 s");
        if (maxStreams < 0) throw new IllegalArgumentException("the stream limit must be at least 0");
        if (!(maxStreamSeconds >= 1)) throw new IllegalArgumentException("the stream length limit must be at least 1 s");
        if (!(streamChunkSeconds >= 0.1 && streamChunkSeconds <= 60)) {
            throw new IllegalArgumentException("the stream chunk must be 0.1 to 60 s");
        }
        if (!(shutdownGraceSeconds >= 0)) throw new IllegalArgumentException("the shutdown grace must be at least 0 s");
        if (maxNewTokens < 0) throw new IllegalArgumentException("the token limit must be at least 1 (or 0: automatic)");
    }

    /** The defaults of {@code qwen-asr serve}: loopback, port 8080, no key. */
    public static ServerSettings defaults() {
        return new ServerSettings("127.0.0.1", 8080, null, 100L << 20, 1800, 2, 16, 600, 8, 3600, 2.0, 30, 0);
    }

    public ServerSettings withHost(String h) {
        return new ServerSettings(h, port, apiKey, maxUploadBytes, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGraceSeconds, maxNewTokens);
    }

    public ServerSettings withPort(int p) {
        return new ServerSettings(host, p, apiKey, maxUploadBytes, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGraceSeconds, maxNewTokens);
    }

    public ServerSettings withApiKey(String k) {
        return new ServerSettings(host, port, k, maxUploadBytes, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGraceSeconds, maxNewTokens);
    }

    public ServerSettings withUploadLimits(long bytes, double audioSeconds) {
        return new ServerSettings(host, port, apiKey, bytes, audioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGraceSeconds, maxNewTokens);
    }

    public ServerSettings withQueue(int concurrent, int queue, double timeoutSeconds) {
        return new ServerSettings(host, port, apiKey, maxUploadBytes, maxAudioSeconds, concurrent, queue,
                timeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGraceSeconds, maxNewTokens);
    }

    public ServerSettings withStreams(int streams, double maxSeconds, double chunkSeconds) {
        return new ServerSettings(host, port, apiKey, maxUploadBytes, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, streams, maxSeconds, chunkSeconds, shutdownGraceSeconds, maxNewTokens);
    }

    public ServerSettings withShutdownGrace(double seconds) {
        return new ServerSettings(host, port, apiKey, maxUploadBytes, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, seconds, maxNewTokens);
    }

    public ServerSettings withMaxNewTokens(int n) {
        return new ServerSettings(host, port, apiKey, maxUploadBytes, maxAudioSeconds, maxConcurrent, maxQueue,
                requestTimeoutSeconds, maxStreams, maxStreamSeconds, streamChunkSeconds, shutdownGraceSeconds, n);
    }

    /** Whether the bound address is reachable only from this machine. */
    public boolean loopbackOnly() {
        String h = host.strip();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }
}
