package io.github.qwenasr.server;

/**
 * A request the server answers with an error in OpenAI's shape:
 * {@code {"error": {"message", "type", "param", "code"}}} and the given HTTP status. The message is
 * one line meant for the client; it never holds a stack trace or a path on this machine.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;
    /** Seconds a client should wait before retrying (Retry-After), or 0. */
    private final int retryAfterSeconds;

    public ApiException(int status, String type, String param, String code, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400: a missing or invalid field. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message, 0);
    }

    /** 400 with a machine-readable code. */
    public static ApiException invalid(String param, String code, String message) {
        return new ApiException(400, "invalid_request_error", param, code, message, 0);
    }

    /** 401: a missing or wrong API key. */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_request_error", null, "invalid_api_key", message, 0);
    }

    /** 404: an unknown route. */
    public static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", null, "not_found", message, 0);
    }

    /** 404: a model this server does not serve. */
    public static ApiException unknownModel(String model) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + model + "' does not exist on this server (see GET /v1/models)", 0);
    }

    /** 413: a body, field or audio over a limit. */
    public static ApiException tooLarge(String param, String code, String message) {
        return new ApiException(413, "invalid_request_error", param, code, message, 0);
    }

    /** 429: the request queue is full. */
    public static ApiException queueFull(String message) {
        return new ApiException(429, "rate_limit_error", null, "queue_full", message, 2);
    }

    /** 503: shutting down, or the wait for a decoding slot ran past the request's time limit. */
    public static ApiException unavailable(String code, String message) {
        return new ApiException(503, "server_error", null, code, message, 5);
    }

    /** 504: the transcription ran past the request's time limit. */
    public static ApiException timeout(String message) {
        return new ApiException(504, "server_error", null, "timeout", message, 0);
    }

    /** 500: an unexpected failure; the client gets no details (the server log has them). */
    public static ApiException internal() {
        return new ApiException(500, "server_error", null, "internal_error",
                "The server failed to process the request; see the server log", 0);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
