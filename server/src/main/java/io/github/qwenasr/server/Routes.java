package io.github.qwenasr.server;

import java.util.Set;

/** The server's paths, and the fixed route labels the metrics use. */
public final class Routes {
    public static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
    public static final String MODELS = "/v1/models";
    public static final String STREAM = "/v1/stream";
    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";

    private static final Set<String> API = Set.of(TRANSCRIPTIONS, MODELS, STREAM, HEALTH, METRICS);

    private Routes() {
    }

    /** A metrics label for a request path: an API route, "page" for the page's files, else "other". */
    public static String label(String path) {
        if (path == null) return "other";
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (API.contains(p)) return p;
        if (p.startsWith(MODELS + "/")) return MODELS + "/{id}";
        if (p.equals("/") || p.equals("/index.html") || p.equals("/app.js") || p.equals("/style.css")
                || p.equals("/pcm-capture.js")) {
            return "page";
        }
        return "other";
    }
}
